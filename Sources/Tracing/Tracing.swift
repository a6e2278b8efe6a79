// Tracing module
