import Sockets

/// A call an application made on the socket API, as the trace records it.
///
/// The trace's `call` and `argument` fields are `name` and `argument`; only this type turns a call
/// into text and back.
public enum SocketCall: Hashable, Sendable, CustomStringConvertible {
    /// `listen()` with its backlog, on the listening socket `host:port`.
    case listen(backlog: Int)
    /// `connect()` towards `host:port`.
    case connect(to: String)
    /// `accept()` on a listener returned the connection from `host:port`.
    case accept(from: String)
    /// `send()` of this many bytes.
    case send(bytes: Int)
    /// An endless stream of bytes handed to `send()` as the socket takes them (`send forever`).
    case sendForever
    /// `shutdown(SHUT_WR)`: half-close.
    case shutdownWrite
    /// `close()`.
    case close
    /// Abortive close (`SO_LINGER` 0): send RST.
    case abort
    /// The application stops reading, so the receive buffer fills.
    case pauseReading
    /// The application reads again.
    case resumeReading
    /// `bind()` of a UDP socket.
    case bindUDP
    /// `connect()` of a UDP socket towards `host:port`.
    case connectUDP(to: String)
    /// `sendto()` of a datagram of `bytes` bytes to `host:port`.
    case sendTo(String, bytes: Int)
    /// `setsockopt(SO_KEEPALIVE)`: keepalive on with these timings, or off (nil).
    case setKeepalive(SocketKeepalive?)
    /// `setsockopt(IPPROTO_TCP, ...)`: `TCP_NODELAY` or `TCP_QUICKACK` on or off.
    case setOption(StreamSocketOption)

    /// The call's name: `listen`, `connect`, `accept`, `send`, `shutdown`, `close`, `abort`,
    /// `pause-reading`, `resume-reading`, `bind`, `sendto`, `keepalive`, `nodelay`, `quickack`.
    public var name: String {
        switch self {
        case .listen: "listen"
        case .connect, .connectUDP: "connect"
        case .accept: "accept"
        case .send, .sendForever: "send"
        case .shutdownWrite: "shutdown"
        case .close: "close"
        case .abort: "abort"
        case .pauseReading: "pause-reading"
        case .resumeReading: "resume-reading"
        case .bindUDP: "bind"
        case .sendTo: "sendto"
        case .setKeepalive: "keepalive"
        case .setOption(let option): option.name
        }
    }

    /// Every call name, in the order above.
    public static let names = ["listen", "connect", "accept", "send", "shutdown", "close", "abort", "pause-reading",
                               "resume-reading", "bind", "sendto", "keepalive", "nodelay", "quickack",
                               "rcvbuf", "sndbuf", "linger"]

    /// The argument as text: `backlog 128`, `server:80` (`udp server:9` for UDP), `1000 bytes`, `forever`,
    /// `write`, `udp`, `server:9 100 bytes`, `idle 10s interval 1s probes 3` (exact durations, as the
    /// scenario language writes them), `on` or `off`.
    public var argument: String {
        switch self {
        case .listen(let backlog): "backlog \(backlog)"
        case .connect(let address), .accept(let address): address
        case .send(let bytes): "\(bytes) bytes"
        case .sendForever: "forever"
        case .shutdownWrite: "write"
        case .close, .abort, .pauseReading, .resumeReading: ""
        case .bindUDP: "udp"
        case .connectUDP(let address): "udp \(address)"
        case .sendTo(let address, let bytes): "\(address) \(bytes) bytes"
        case .setKeepalive(let keepalive?):
            "idle \(Quantity.durationText(keepalive.idle)) interval \(Quantity.durationText(keepalive.interval)) "
                + "probes \(keepalive.probes)"
        case .setKeepalive(nil): "off"
        case .setOption(let option): option.argument
        }
    }

    public var description: String { argument.isEmpty ? name : "\(name) \(argument)" }

    /// The call named `name` with `argument` as `argument` writes it, or nil.
    public init?(name: String, argument: String) {
        let words = argument.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        func byteCount(_ words: ArraySlice<String>) -> Int? {
            guard words.count == 2, words.last == "bytes", let count = Int(words.first!), count >= 0 else { return nil }
            return count
        }
        switch name {
        case "listen":
            guard words.count == 2, words[0] == "backlog", let backlog = Int(words[1]), backlog >= 0 else { return nil }
            self = .listen(backlog: backlog)
        case "connect" where words.count == 2 && words[0] == "udp":
            self = .connectUDP(to: words[1])
        case "connect", "accept":
            guard words.count == 1, !argument.isEmpty else { return nil }
            self = name == "connect" ? .connect(to: argument) : .accept(from: argument)
        case "send" where argument == "forever":
            self = .sendForever
        case "send":
            guard let count = byteCount(words[...]) else { return nil }
            self = .send(bytes: count)
        case "shutdown" where argument == "write": self = .shutdownWrite
        case "close" where argument.isEmpty: self = .close
        case "abort" where argument.isEmpty: self = .abort
        case "pause-reading" where argument.isEmpty: self = .pauseReading
        case "resume-reading" where argument.isEmpty: self = .resumeReading
        case "bind" where argument == "udp": self = .bindUDP
        case "sendto":
            guard words.count == 3, let count = byteCount(words[1...]) else { return nil }
            self = .sendTo(words[0], bytes: count)
        case "nodelay", "quickack", "rcvbuf", "sndbuf", "linger":
            guard let option = StreamSocketOption(name: name, argument: argument) else { return nil }
            self = .setOption(option)
        case "keepalive" where argument == "off":
            self = .setKeepalive(nil)
        case "keepalive":
            guard words.count == 6, words[0] == "idle", words[2] == "interval", words[4] == "probes",
                  let idle = Quantity.duration(words[1][...]), let interval = Quantity.duration(words[3][...]),
                  words[5].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let probes = Int(words[5]) else { return nil }
            self = .setKeepalive(SocketKeepalive(idle: idle, interval: interval, probes: probes))
        default:
            return nil
        }
    }
}
