/// A close status code (RFC 6455 §7.4).
///
/// Any 16-bit value can be represented, because a peer can send any; `isValidOnWire` says
/// whether it may appear in a Close frame (§7.4.1, §7.4.2).
public struct WebSocketCloseCode: RawRepresentable, Sendable, Hashable {
    /// The code as it is on the wire.
    public var rawValue: UInt16

    /// The code with this value.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// The code with this value.
    public init(_ rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// 1000: the purpose of the connection has been fulfilled.
    public static let normalClosure = WebSocketCloseCode(1000)
    /// 1001: the endpoint is going away (server shutting down, page navigated away).
    public static let goingAway = WebSocketCloseCode(1001)
    /// 1002: the peer broke the protocol.
    public static let protocolError = WebSocketCloseCode(1002)
    /// 1003: the endpoint cannot accept this type of data (e.g. binary when it takes text).
    public static let unsupportedData = WebSocketCloseCode(1003)
    /// 1005: reported locally when a Close frame had no status code; never sent.
    public static let noStatusReceived = WebSocketCloseCode(1005)
    /// 1006: reported locally when the connection closed without a Close frame; never sent.
    public static let abnormalClosure = WebSocketCloseCode(1006)
    /// 1007: a message's data is inconsistent with its type (e.g. invalid UTF-8 in text).
    public static let invalidFramePayloadData = WebSocketCloseCode(1007)
    /// 1008: a message violates the endpoint's policy.
    public static let policyViolation = WebSocketCloseCode(1008)
    /// 1009: a message is too big to process.
    public static let messageTooBig = WebSocketCloseCode(1009)
    /// 1010: the client needed an extension that the server did not negotiate.
    public static let mandatoryExtension = WebSocketCloseCode(1010)
    /// 1011: the server met an unexpected condition.
    public static let internalError = WebSocketCloseCode(1011)
    /// 1015: reported locally when the TLS handshake failed; never sent.
    public static let tlsHandshake = WebSocketCloseCode(1015)

    /// Whether the code may be sent in a Close frame: 1000-1003 and 1007-1011 from §7.4.1, and
    /// 3000-4999 (libraries and applications, §7.4.2). 0-999 are unused, 1004 is reserved,
    /// 1005, 1006 and 1015 are for local reporting only, and this module refuses the rest of
    /// 1012-2999 (see the simplifications in WebSocket.swift). A received Close frame with
    /// any other code is a protocol error (1002).
    public var isValidOnWire: Bool {
        switch rawValue {
        case 1000...1003, 1007...1011, 3000...4999: true
        default: false
        }
    }
}
