import Foundation
import Tracing
import Wire

/// Builds a two-host trace segment by segment, numbers written relative to each side's ISN as the
/// replay comparison reads them: `send(.client, [.syn], seq: 0)`.
struct Conversation {
    enum End {
        case client, server
    }

    var clientPort: UInt16 = 49152
    var serverPort: UInt16 = 80
    var clientISN: UInt32 = 1000
    var serverISN: UInt32 = 700_000
    var profile = "textbook"
    private(set) var events: [TraceEvent] = []
    private var time: Int64 = 0

    init(clientPort: UInt16 = 49152, serverPort: UInt16 = 80, clientISN: UInt32 = 1000, serverISN: UInt32 = 700_000,
         profile: String = "textbook") {
        self.clientPort = clientPort
        self.serverPort = serverPort
        self.clientISN = clientISN
        self.serverISN = serverISN
        self.profile = profile
    }

    static let clientAddress = IPv4Address(10, 0, 0, 1)
    static let serverAddress = IPv4Address(10, 0, 0, 2)

    /// `client:49152>server:80` as seen from `end`.
    func connection(from end: End) -> String {
        end == .client ? "client:\(clientPort)>server:\(serverPort)" : "server:\(serverPort)>client:\(clientPort)"
    }

    mutating func send(_ from: End, _ flags: TCPFlags, seq: UInt32, ack: UInt32? = nil, length: Int = 0,
                       window: UInt16 = 65535, options: [TCPOption] = []) {
        let client = from == .client
        var allFlags = flags
        if ack != nil { allFlags.insert(.ack) }
        let header = TCPHeader(
            sourcePort: client ? clientPort : serverPort, destinationPort: client ? serverPort : clientPort,
            sequenceNumber: SequenceNumber((client ? clientISN : serverISN) &+ seq),
            acknowledgmentNumber: SequenceNumber(ack.map { (client ? serverISN : clientISN) &+ $0 } ?? 0),
            flags: allFlags, window: window, options: options)
        let packet = IPv4Packet(source: client ? Self.clientAddress : Self.serverAddress,
                                destination: client ? Self.serverAddress : Self.clientAddress,
                                payload: .tcp(TCPSegment(header: header, payload: Array(repeating: 0x61, count: length))))
        let bytes = packet.emit()
        time += 1000
        events.append(TraceEvent(time: time, node: client ? "client" : "server", kind: .packetSent(bytes: bytes, cause: .original)))
        events.append(TraceEvent(time: time + 10, node: client ? "server" : "client", kind: .packetReceived(bytes: bytes)))
    }

    mutating func state(_ end: End, _ from: TCPState, _ to: TCPState, cause: StateChangeCause = .observed) {
        time += 1
        events.append(TraceEvent(time: time, node: end == .client ? "client" : "server",
                                 kind: .stateChanged(connection: connection(from: end), from: from, to: to, cause: cause)))
    }

    mutating func call(_ end: End, _ call: SocketCall) {
        time += 1
        events.append(TraceEvent(time: time, node: end == .client ? "client" : "server",
                                 kind: .socketCall(socket: connection(from: end), call: call)))
    }

    mutating func event(_ end: End, _ notification: SocketNotification) {
        time += 1
        events.append(TraceEvent(time: time, node: end == .client ? "client" : "server",
                                 kind: .socketEvent(socket: connection(from: end), event: notification)))
    }

    /// SYN, SYN,ACK, ACK.
    mutating func handshake(options: [TCPOption] = [.maximumSegmentSize(1460)], window: UInt16 = 65535) {
        send(.client, [.syn], seq: 0, window: window, options: options)
        send(.server, [.syn], seq: 0, ack: 1, window: window, options: options)
        send(.client, [], seq: 1, ack: 1, window: window)
    }

    var trace: Trace {
        Trace(header: TraceHeader(scenario: "hand-made", seed: 1, profile: profile,
                                  hosts: [TraceHost(name: "client", address: Self.clientAddress),
                                          TraceHost(name: "server", address: Self.serverAddress)],
                                  link: LinkSpec()),
              events: events)
    }
}

/// The ports of the hand-made conversations: the server's 80 is the scenario's.
let serverPort80 = ReplayPortMap([ReplayPortMap.Entry(host: "server", transport: .tcp, scenarioPort: 80, actualPort: 80)])

/// Compares two hand-made or edited traces with the same port map.
func compare(_ simulated: Trace, _ kernel: Trace, ports: ReplayPortMap = serverPort80,
             kernelPorts: ReplayPortMap? = nil, strict: Bool = false,
             allowed: Set<ReplayEquivalence> = Set(ReplayEquivalence.allCases)) -> ReplayComparison {
    TraceComparison.compare(simulated: ComparedTrace(trace: simulated, ports: ports),
                            kernel: ComparedTrace(trace: kernel, ports: kernelPorts ?? ports), strict: strict,
                            allowed: allowed)
}

/// A golden trace from `Traces/`.
func goldenTrace(_ name: String) throws -> Trace {
    let url = GoldenTraceTests.directory.appendingPathComponent("\(name).jsonl")
    let data = try Data(contentsOf: url)
    return try TraceFile.read(bytes: [UInt8](data), file: url.path)
}

/// The TCP flags of a packet's bytes, if it is a TCP segment.
func tcpFlags(_ bytes: [UInt8]) -> TCPFlags? {
    guard let packet = try? IPv4Packet.parse(bytes, verifyChecksums: false), case .tcp(let segment) = packet.payload
    else { return nil }
    return segment.header.flags
}
