// Tutor: see the module's lesson model.
