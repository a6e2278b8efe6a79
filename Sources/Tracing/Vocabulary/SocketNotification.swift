import Sockets

/// What the socket API told an application, as the trace records it. The names are the browser
/// WebSocket API's four events that the source article lists, plus `end` (the peer's FIN):
/// a TCP socket is not a WebSocket, but both tell an application the same four things.
///
/// The trace's `name` and `detail` fields are `name` and `detail`; only this type turns an event
/// into text and back.
public enum SocketNotification: Hashable, Sendable, CustomStringConvertible {
    /// `onopen`: the connection to `remote` is established.
    case open(remote: String)
    /// `onmessage`: bytes arrived in order; `intact` is false when they were not what was sent.
    case message(bytes: Int, intact: Bool)
    /// `onmessage` on a UDP socket: one datagram from `sender`.
    case datagram(bytes: Int, from: String, intact: Bool)
    /// The peer finished sending (its FIN arrived and all its data was read).
    case end
    /// `onerror`.
    case error(SocketError)
    /// `onclose`.
    case close

    /// `open`, `message`, `end`, `error` or `close` (applications see `on` + name).
    public var name: String {
        switch self {
        case .open: "open"
        case .message, .datagram: "message"
        case .end: "end"
        case .error: "error"
        case .close: "close"
        }
    }

    /// Every event name.
    public static let names = ["open", "message", "end", "error", "close"]

    /// The detail as text: `server:80`, `1000 bytes`, `100 bytes from client:5000`,
    /// `peer finished sending`, `connection refused`; `(altered)` marks bytes that were not sent.
    public var detail: String {
        switch self {
        case .open(let remote): remote
        case .message(let bytes, let intact): "\(bytes) bytes" + (intact ? "" : " (altered)")
        case .datagram(let bytes, let sender, let intact): "\(bytes) bytes from \(sender)" + (intact ? "" : " (altered)")
        case .end: "peer finished sending"
        case .error(let error): error.description
        case .close: ""
        }
    }

    public var description: String { detail.isEmpty ? "on\(name)" : "on\(name) \(detail)" }

    /// The event named `name` with `detail` as `detail` writes it, or nil.
    public init?(name: String, detail: String) {
        var words = detail.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var intact = true
        if words.count >= 2, words.last == "(altered)" {
            intact = false
            words.removeLast()
        }
        switch name {
        case "open":
            guard !detail.isEmpty, words.count == 1 else { return nil }
            self = .open(remote: detail)
        case "message":
            guard words.count >= 2, words[1] == "bytes", let count = Int(words[0]), count >= 0 else { return nil }
            if words.count == 2 {
                self = .message(bytes: count, intact: intact)
            } else if words.count == 4, words[2] == "from" {
                self = .datagram(bytes: count, from: words[3], intact: intact)
            } else {
                return nil
            }
        case "end" where detail == "peer finished sending": self = .end
        case "error":
            guard let error = SocketError(text: detail) else { return nil }
            self = .error(error)
        case "close" where detail.isEmpty: self = .close
        default:
            return nil
        }
    }
}

extension SocketError {
    /// The error whose `description` is `text`, or nil.
    public init?(text: String) {
        let simple: [SocketError] = [.refused, .timedOut, .reset, .unreachable, .addressInUse]
        if let match = simple.first(where: { $0.description == text }) {
            self = match
        } else if text.hasPrefix("unknown host '"), text.hasSuffix("'") {
            self = .unknownHost(String(text.dropFirst("unknown host '".count).dropLast()))
        } else if text.hasPrefix("invalid state: ") {
            self = .invalidState(String(text.dropFirst("invalid state: ".count)))
        } else {
            return nil
        }
    }
}
