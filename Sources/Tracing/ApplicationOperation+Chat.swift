/// The settings of the chat applications (one chat delivered by polling, long polling and
/// WebSocket push) and of the MQTT broker and clients.

/// `serve chat [port N] [messages N every D] [hold D]`.
public struct ChatServerSettings: Hashable, Sendable {
    public var port: UInt16
    /// Messages that arrive at the server from elsewhere at seeded random times, if any.
    public var feed: ChatFeedSettings?
    /// How long a long-polling request is held when there is nothing new, nanoseconds.
    public var hold: Int64

    public static let defaultHold: Int64 = 30_000_000_000

    public init(port: UInt16 = ApplicationOperation.defaultHTTPPort, feed: ChatFeedSettings? = nil,
                hold: Int64 = ChatServerSettings.defaultHold) {
        self.port = port
        self.feed = feed
        self.hold = hold
    }
}

/// `messages N every D`: `count` messages, the gaps between them drawn uniformly from
/// [D/2, 3D/2), so they come every D on average and never two within D/2.
public struct ChatFeedSettings: Hashable, Sendable {
    public var count: Int
    public var meanGap: Int64

    public init(count: Int, meanGap: Int64) {
        self.count = count
        self.meanGap = meanGap
    }
}

/// `poll HOST:PORT every D [count N]` (HTTP polling) or `long-poll HOST:PORT [count N]`.
public struct PollClientSettings: Hashable, Sendable {
    public var host: String
    public var port: UInt16
    /// The polling interval, nanoseconds; nil polls long: each request is held by the server
    /// until there is something new, and the next one goes as soon as the answer is in.
    public var interval: Int64?
    /// Stop (and close) once this many messages have been read; 0 never stops.
    public var count: Int

    public init(host: String, port: UInt16, interval: Int64?, count: Int = 0) {
        self.host = host
        self.port = port
        self.interval = interval
        self.count = count
    }
}

/// `websocket HOST:PORT [path P] [count N] [send N every D] [ping every D]`.
public struct WebSocketClientSettings: Hashable, Sendable {
    public var host: String
    public var port: UInt16
    /// The resource name of the handshake (RFC 6455 §3).
    public var path: String
    /// Start the close handshake (1000) once this many messages have been read; 0 never.
    public var count: Int
    /// Chat messages this client writes: how many, and how far apart (the first one `every`
    /// after the connection opens).
    public var sends: Int
    public var sendInterval: Int64
    /// A ping every this many nanoseconds while open, if any (RFC 6455 §5.5.2).
    public var pingInterval: Int64?

    public static let defaultPath = "/chat"

    public init(host: String, port: UInt16, path: String = WebSocketClientSettings.defaultPath, count: Int = 0,
                sends: Int = 0, sendInterval: Int64 = 1_000_000_000, pingInterval: Int64? = nil) {
        self.host = host
        self.port = port
        self.path = path
        self.count = count
        self.sends = sends
        self.sendInterval = sendInterval
        self.pingInterval = pingInterval
    }
}

/// `mqtt HOST:PORT client ID [keepalive S] [persistent] [will TOPIC] [subscribe FILTER]
/// [publish N every D [from D] topic T] [qos 0|1] [retry D] [reconnect D..D]`.
public struct MQTTClientSettings: Hashable, Sendable {
    public var host: String
    public var port: UInt16
    /// MQTT 3.1.1 §3.1.3.1.
    public var clientID: String
    /// Seconds (§3.1.2.10); 0 turns keepalive off.
    public var keepAlive: Int
    /// Keep the session across connections (clean session 0, §3.1.2.4), so QoS 1 messages
    /// missed while away are delivered on reconnection.
    public var persistent: Bool
    /// The will topic (§3.1.2.5); the will says "ID went offline", at the client's QoS.
    public var willTopic: String?
    /// Topic filters subscribed to at the client's QoS (§3.8).
    public var subscriptions: [String]
    /// Chat messages published: how many, how far apart, from when (after the start), to which topic.
    public var publishes: Int
    public var publishInterval: Int64
    public var publishFrom: Int64?
    public var publishTopic: String
    /// The QoS of publications and subscriptions: 0 or 1.
    public var qos: Int
    /// How long to wait for PUBACK before sending a QoS 1 PUBLISH again with DUP (§4.4).
    public var retryInterval: Int64
    /// Reconnect after a lost connection, with exponential backoff between these bounds.
    public var reconnect: ReconnectSettings?

    public static let defaultKeepAlive = 60
    public static let defaultRetry: Int64 = 5_000_000_000

    public init(host: String, port: UInt16, clientID: String, keepAlive: Int = MQTTClientSettings.defaultKeepAlive,
                persistent: Bool = false, willTopic: String? = nil, subscriptions: [String] = [], publishes: Int = 0,
                publishInterval: Int64 = 1_000_000_000, publishFrom: Int64? = nil, publishTopic: String = "chat",
                qos: Int = 1, retryInterval: Int64 = MQTTClientSettings.defaultRetry, reconnect: ReconnectSettings? = nil) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.keepAlive = keepAlive
        self.persistent = persistent
        self.willTopic = willTopic
        self.subscriptions = subscriptions
        self.publishes = publishes
        self.publishInterval = publishInterval
        self.publishFrom = publishFrom
        self.publishTopic = publishTopic
        self.qos = qos
        self.retryInterval = retryInterval
        self.reconnect = reconnect
    }
}
