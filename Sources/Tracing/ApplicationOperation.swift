import Sockets

/// The applications a scenario can run on a host, and what it can ask of them: the scenario
/// language's `serve`, `http`, `long-socket`, `message`, `poll`, `long-poll`, `websocket` and
/// `mqtt` operations (grammar: `ScenarioLanguage`). The applications themselves live in `Apps`;
/// these are their settings (the chat and MQTT ones in `ApplicationOperation+Chat.swift`).
public enum ApplicationOperation: Hashable, Sendable {
    /// `serve http [port N] [idle D]`: StackLab's small web site on `port`; a persistent
    /// connection left idle for `idleTimeout` nanoseconds is closed by the server.
    case httpServer(port: UInt16, idleTimeout: Int64)
    /// `serve long-socket [port N] [heartbeat every D miss K]`: the long-connection server:
    /// answers requests and PINGs, echoes messages; with a heartbeat it also gives silent
    /// clients up for dead.
    case longSocketServer(port: UInt16, heartbeat: HeartbeatSettings?)
    /// `http HOST:PORT get PATH ...`: an HTTP client fetching `path` `count` times.
    case httpClient(HTTPClientSettings)
    /// `long-socket HOST:PORT ...`: a client holding one long connection.
    case longSocketClient(LongSocketClientSettings)
    /// `message BYTES`: the host's long-socket client sends one DATA frame of that many bytes
    /// (the server echoes it).
    case message(bytes: Int)
    /// `serve chat [port N] [messages N every D] [hold D]`: the chat server, over HTTP polling, long
    /// polling and WebSocket.
    case chatServer(ChatServerSettings)
    /// `serve websocket [port N]`: a WebSocket endpoint that sends every message back.
    case webSocketEchoServer(port: UInt16)
    /// `poll HOST:PORT every D [count N]` or `long-poll HOST:PORT [count N]`: a chat reader over HTTP.
    case pollClient(PollClientSettings)
    /// `websocket HOST:PORT [path P] [count N] [send N every D] [ping every D]`: a WebSocket chat client.
    case webSocketClient(WebSocketClientSettings)
    /// `serve mqtt [port N]`: an MQTT 3.1.1 broker.
    case mqttBroker(port: UInt16)
    /// `mqtt HOST:PORT client ID ...`: an MQTT client.
    case mqttClient(MQTTClientSettings)
    /// `mqtt disconnect`: the host's MQTT client disconnects cleanly (DISCONNECT: no will).
    case mqttDisconnect

    public static let defaultHTTPPort: UInt16 = 80
    public static let defaultLongSocketPort: UInt16 = 7000
    /// MQTT's IANA-registered port (MQTT 3.1.1 §4.2).
    public static let defaultMQTTPort: UInt16 = 1883
    /// Apache httpd's `KeepAliveTimeout` default.
    public static let defaultIdleTimeout: Int64 = 5_000_000_000
}

/// Which HTTP version a client speaks.
public enum HTTPClientVersion: String, Hashable, Sendable, CaseIterable {
    /// HTTP/1.0: one request per connection, which the server closes (RFC 1945; RFC 9112 §9.3).
    case http1_0 = "1.0"
    /// HTTP/1.1: one persistent connection for every request (RFC 9112 §9.3).
    case http1_1 = "1.1"
}

/// `http HOST:PORT get PATH [count N] [version 1.0|1.1] [pipeline N]`.
public struct HTTPClientSettings: Hashable, Sendable {
    public var host: String
    public var port: UInt16
    /// The request target, an origin-form path such as `/index.html` (RFC 9112 §3.2.1).
    public var path: String
    /// How many GETs, one after another (or `pipeline` at a time).
    public var count: Int
    public var version: HTTPClientVersion
    /// Requests written before their responses arrive (RFC 9112 §9.3.2); 1 is no pipelining.
    /// HTTP/1.1 only.
    public var pipeline: Int

    public init(host: String, port: UInt16, path: String, count: Int = 1, version: HTTPClientVersion = .http1_1,
                pipeline: Int = 1) {
        self.host = host
        self.port = port
        self.path = path
        self.count = count
        self.version = version
        self.pipeline = pipeline
    }
}

/// `heartbeat every D miss K`: a PING every `interval` nanoseconds; the peer is dead after
/// `missLimit` silent intervals (`HeartbeatMonitor`'s k·T rule).
public struct HeartbeatSettings: Hashable, Sendable {
    public var interval: Int64
    public var missLimit: Int

    public init(interval: Int64, missLimit: Int) {
        self.interval = interval
        self.missLimit = missLimit
    }
}

/// `long-socket HOST:PORT [get PATH count N] [heartbeat every D miss K] [reconnect D..D]
/// [keepalive IDLE INTERVAL COUNT]`.
public struct LongSocketClientSettings: Hashable, Sendable {
    public var host: String
    public var port: UInt16
    /// Requests for a page of the site, one after another over the one connection, if any.
    public var path: String?
    public var count: Int
    public var heartbeat: HeartbeatSettings?
    /// Reconnect after the connection is lost, with exponential backoff from `base` up to `cap`
    /// nanoseconds and full jitter drawn from the run's seed; nil never reconnects.
    public var reconnect: ReconnectSettings?
    /// TCP keepalive on the connection (`SO_KEEPALIVE`), if any.
    public var keepalive: SocketKeepalive?

    public init(host: String, port: UInt16, path: String? = nil, count: Int = 0, heartbeat: HeartbeatSettings? = nil,
                reconnect: ReconnectSettings? = nil, keepalive: SocketKeepalive? = nil) {
        self.host = host
        self.port = port
        self.path = path
        self.count = count
        self.heartbeat = heartbeat
        self.reconnect = reconnect
        self.keepalive = keepalive
    }
}

/// `reconnect BASE..CAP`: exponential backoff bounds, nanoseconds.
public struct ReconnectSettings: Hashable, Sendable {
    public var base: Int64
    public var cap: Int64

    public init(base: Int64, cap: Int64) {
        self.base = base
        self.cap = cap
    }
}

extension ApplicationOperation: CustomStringConvertible {
    /// The operation in the scenario language, e.g. `http server:80 get / count 5 version 1.0`.
    public var description: String { ScenarioPrinter.format(self) }
}
