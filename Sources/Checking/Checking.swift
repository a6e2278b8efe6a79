// Checking: see the module's harness and catalogue.
