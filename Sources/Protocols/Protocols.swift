// Protocols: sans-I/O protocol machines over bytes (HTTP/1.x, WebSocket, MQTT, heartbeat
// framing) and what they need (SHA-1, Base64, UTF-8 validation). Imports nothing: bytes in,
// events and bytes out, time passed in as integer nanoseconds, randomness passed in as bytes.
// The `Apps` module glues these machines to the socket API, so they run on both runtimes.
