// Rendering: see the module's renderers.
