import Sockets

/// What a scenario's applications saw: per connection and per datagram socket.
public struct ScenarioReport: Hashable, Sendable {
    public var streams: [StreamReport]
    public var datagramSockets: [DatagramReport]
    /// Steps that could not run, e.g. "step 3: client has no connection".
    public var failures: [String]

    /// Bytes delivered to applications over all connections.
    public var bytesDelivered: Int { streams.reduce(0) { $0 + $1.bytesReceived } }

    /// Every byte every connection received matched what was sent at that offset, and every
    /// connection whose peer finished received as many bytes as the peer sent.
    public var streamsIntact: Bool {
        streams.allSatisfy { stream in
            guard stream.intact else { return false }
            guard stream.peerFinished, let peer = streams.first(where: { $0.isPeer(of: stream) }) else { return true }
            return stream.bytesReceived == peer.bytesSent
        }
    }
}

/// One connection as its application saw it.
public struct StreamReport: Hashable, Sendable {
    public var host: String
    public var local: SocketAddress
    public var remote: SocketAddress
    public var opened: Bool
    public var bytesSent: Int
    public var bytesReceived: Int
    public var intact: Bool
    public var peerFinished: Bool
    public var error: SocketError?
    public var closed: Bool

    func isPeer(of other: StreamReport) -> Bool {
        local.port == other.remote.port && remote.port == other.local.port
            && host == other.remote.host && other.host == remote.host
    }
}

/// One datagram socket as its application saw it.
public struct DatagramReport: Hashable, Sendable {
    public var host: String
    public var local: SocketAddress
    public var sent: Int
    public var received: Int
    /// Datagrams that arrived after one with a higher sequence number.
    public var reordered: Int
    /// Datagrams that arrived more than once.
    public var duplicates: Int
    /// Datagrams whose bytes were not what was sent.
    public var corrupted: Int
    /// ICMP errors reported to the socket.
    public var errors: Int
}

struct StreamRecord {
    let hostName: String
    let socket: any StreamSocket
    let echo: Bool
    var opened = false
    var bytesSent = 0
    var bytesReceived = 0
    var intact = true
    var peerFinished = false
    var error: SocketError?
    var closed = false

    /// The socket's `host:port`, for the trace.
    let name: String

    init(hostName: String, socket: any StreamSocket, echo: Bool) {
        self.hostName = hostName
        self.socket = socket
        self.echo = echo
        name = socket.localAddress.description
    }

    var report: StreamReport {
        StreamReport(host: hostName, local: socket.localAddress, remote: socket.remoteAddress, opened: opened,
                     bytesSent: bytesSent, bytesReceived: bytesReceived, intact: intact,
                     peerFinished: peerFinished, error: error, closed: closed)
    }
}

struct DatagramRecord {
    let hostName: String
    let socket: any DatagramSocket
    var sent = 0
    var received = 0
    var highestSequence: UInt32?
    var seen: [Bool] = []
    var reordered = 0
    var duplicates = 0
    var corrupted = 0
    var errors = 0

    init(hostName: String, socket: any DatagramSocket) {
        self.hostName = hostName
        self.socket = socket
    }

    var name: String { socket.localAddress.description }

    mutating func noteReceived(sequence: UInt32?) {
        received += 1
        guard let sequence else {
            corrupted += 1
            return
        }
        let slot = Int(sequence)
        if slot < 1 << 20 {
            if seen.count <= slot { seen += Array(repeating: false, count: slot + 1 - seen.count) }
            if seen[slot] { duplicates += 1 }
            seen[slot] = true
        }
        if let highest = highestSequence, sequence < highest {
            reordered += 1
        } else {
            highestSequence = sequence
        }
    }

    var report: DatagramReport {
        DatagramReport(host: hostName, local: socket.localAddress, sent: sent, received: received,
                       reordered: reordered, duplicates: duplicates, corrupted: corrupted, errors: errors)
    }
}
