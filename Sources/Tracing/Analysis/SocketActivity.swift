import Sockets

/// What the applications of a trace did and saw, socket by socket, read from its socket calls and
/// events alone (so it works for any trace that has them, simulated or from a real kernel).
public struct SocketActivity: Sendable {
    /// One connection as its application saw it. Named like its connection, `host:port>peer:port`.
    public struct Stream: Hashable, Sendable {
        public var name: String
        /// The host the socket lives on.
        public var host: String
        /// Bytes the application handed to `send` while the socket could still send (before its
        /// own shutdown, close or abort, and before an error or close event): what TCP was asked to deliver.
        public var bytesSent = 0
        /// Bytes delivered to the application (`onmessage`).
        public var bytesReceived = 0
        /// Every byte delivered was what the peer's application sent at that offset.
        public var intact = true
        public var opened = false
        /// The peer's end of stream was delivered (`end`).
        public var peerFinished = false
        public var error: SocketError?
        /// `onclose` was delivered.
        public var closed = false
        /// Calls the application made, by name (`close`, `abort`, `shutdown`, ...), in order.
        public var calls: [SocketCall] = []

        /// The peer's name: `b:2>a:1` for `a:1>b:2`.
        public var peerName: String { SocketActivity.peer(of: name) }

        /// Whether `send` still hands bytes to TCP.
        var isWritable: Bool { error == nil && !closed && !calls.contains { $0 == .shutdownWrite || $0 == .close || $0 == .abort } }

        /// Whether the application made `call` on this socket.
        public func called(_ call: SocketCall) -> Bool { calls.contains(call) }

        /// Whether the application had stopped reading when the trace ended.
        public var readingPausedAtEnd: Bool {
            calls.last { $0 == .pauseReading || $0 == .resumeReading } == .pauseReading
        }
    }

    /// One UDP socket as its application saw it.
    public struct DatagramSocket: Hashable, Sendable {
        /// `host:port`.
        public var name: String
        public var host: String
        public var sent = 0
        public var received = 0
        /// Datagrams delivered whose bytes were not what was sent.
        public var altered = 0
        /// ICMP errors reported to the socket.
        public var errors = 0
    }

    /// Streams in the order they first appear in the trace.
    public private(set) var streams: [Stream] = []
    /// UDP sockets in the order they first appear.
    public private(set) var datagramSockets: [DatagramSocket] = []
    private var streamIndex: [String: Int] = [:]
    private var datagramIndex: [String: Int] = [:]

    public init(_ events: [TraceEvent]) {
        for event in events {
            switch event.kind {
            case .socketCall(let socket, let call):
                switch call {
                case .listen, .connect, .accept:
                    break   // made on a listener or before the connection has its name
                case .bindUDP:
                    _ = datagram(socket, host: event.node)
                case .sendTo:
                    datagramSockets[datagram(socket, host: event.node)].sent += 1
                case .send(let bytes):
                    let index = stream(socket, host: event.node)
                    if streams[index].isWritable { streams[index].bytesSent += bytes }
                    streams[index].calls.append(call)
                case .sendForever, .shutdownWrite, .close, .abort, .pauseReading, .resumeReading, .setKeepalive:
                    streams[stream(socket, host: event.node)].calls.append(call)
                }
            case .socketEvent(let socket, let notification):
                switch notification {
                case .datagram(_, _, let intact):
                    let index = datagram(socket, host: event.node)
                    datagramSockets[index].received += 1
                    if !intact { datagramSockets[index].altered += 1 }
                case .error(let error) where !socket.contains(">"):
                    datagramSockets[datagram(socket, host: event.node)].errors += 1
                    _ = error
                case .open:
                    streams[stream(socket, host: event.node)].opened = true
                case .message(let bytes, let intact):
                    let index = stream(socket, host: event.node)
                    streams[index].bytesReceived += bytes
                    streams[index].intact = streams[index].intact && intact
                case .end:
                    streams[stream(socket, host: event.node)].peerFinished = true
                case .error(let error):
                    streams[stream(socket, host: event.node)].error = error
                case .close:
                    streams[stream(socket, host: event.node)].closed = true
                }
            case .packetSent, .packetReceived, .packetDropped, .packetDuplicated, .stateChanged, .timer, .congestion,
                 .variables, .application, .note:
                break
            }
        }
    }

    private mutating func stream(_ name: String, host: String) -> Int {
        if let index = streamIndex[name] { return index }
        streams.append(Stream(name: name, host: host))
        streamIndex[name] = streams.count - 1
        return streams.count - 1
    }

    private mutating func datagram(_ name: String, host: String) -> Int {
        if let index = datagramIndex[name] { return index }
        datagramSockets.append(DatagramSocket(name: name, host: host))
        datagramIndex[name] = datagramSockets.count - 1
        return datagramSockets.count - 1
    }

    /// The stream called `name`, if the trace has it.
    public func stream(named name: String) -> Stream? { streamIndex[name].map { streams[$0] } }

    /// Bytes delivered to applications over all connections.
    public var bytesDelivered: Int { streams.reduce(0) { $0 + $1.bytesReceived } }

    /// Every stream received only bytes its peer sent, in order and unaltered, and every stream
    /// that saw its peer's end of stream received everything the peer's application sent.
    public var streamsIntact: Bool {
        streams.allSatisfy { stream in
            guard stream.intact else { return false }
            guard stream.peerFinished, let peer = self.stream(named: stream.peerName) else { return true }
            return stream.bytesReceived == peer.bytesSent
        }
    }

    /// `a:1>b:2` → `b:2>a:1`.
    public static func peer(of connection: String) -> String {
        guard let arrow = connection.firstIndex(of: ">") else { return connection }
        return String(connection[connection.index(after: arrow)...]) + ">" + String(connection[..<arrow])
    }
}
