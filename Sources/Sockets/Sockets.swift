// Sockets module
