import Apps
import Runs
import Sockets
import Tracing
import Wire

/// Golden traces use the built-in scenarios as they are, except where noted here.
enum GoldenScenarios {
    /// bulk-transfer's default 1 MiB makes a 4.8 MB trace; its golden sends 128 KiB.
    static let overrides: [String: ScenarioOverrides] = ["bulk-transfer": ScenarioOverrides(bytes: 131_072)]

    static func scenario(_ name: String) -> Scenario {
        BuiltInScenarios.scenario(named: name, overrides: overrides[name] ?? ScenarioOverrides())!
    }
}

/// A TCP/IPv4 packet's bytes, for hand-made traces.
func tcpPacket(seq: UInt32, ack: UInt32, flags: TCPFlags, payload: Int = 0, options: [TCPOption] = []) -> [UInt8] {
    let segment = TCPSegment(header: TCPHeader(sourcePort: 49152, destinationPort: 80, sequenceNumber: SequenceNumber(seq),
                                               acknowledgmentNumber: SequenceNumber(ack), flags: flags, window: 65535,
                                               options: options),
                             payload: Array(repeating: 0x61, count: payload))
    return IPv4Packet(source: IPv4Address(10, 0, 0, 1), destination: IPv4Address(10, 0, 0, 2), identification: 7,
                      payload: .tcp(segment)).emit()
}

/// A trace that holds every event kind and every timer action, with awkward strings.
func everyKindTrace() -> Trace {
    let syn = tcpPacket(seq: 1000, ack: 0, flags: .syn, options: [.maximumSegmentSize(1460)])
    let data = tcpPacket(seq: 1001, ack: 5001, flags: [.ack, .psh], payload: 10)
    let header = TraceHeader(
        scenario: "every \"kind\"", seed: UInt64.max, profile: "linux",
        hosts: [TraceHost(name: "client", address: IPv4Address(10, 0, 0, 1)),
                TraceHost(name: "server", address: IPv4Address(10, 0, 0, 2))],
        link: LinkSpec(rtt: 123, jitter: 4, bandwidth: 10_000_000, lossPPM: 1, duplicatePPM: 2, reorderPPM: 3,
                       corruptPPM: 1_000_000, mtu: 576,
                       partitions: [TimeSpan(from: 0, to: 5), TimeSpan(from: 9, to: 99)]))
    let variables = TCPVariables(iss: 1000, irs: 5000, sndUNA: 1001, sndNXT: 1011, sndWND: 65535, rcvNXT: 5001,
                                 rcvWND: 64000, cwnd: 4380, ssthresh: 1 << 30, srtt: 20_000_000, rto: 1_000_000_000,
                                 bytesInFlight: 10)
    var noRTT = variables
    noRTT.srtt = nil
    let events: [TraceEvent] = [
        TraceEvent(time: 0, node: "client", kind: .packetSent(bytes: syn, cause: .original)),
        TraceEvent(time: 1, node: "client", kind: .packetSent(bytes: data, cause: .retransmission(.fastRetransmit))),
        TraceEvent(time: 1, node: "client", kind: .packetSent(bytes: data, cause: .reset)),
        TraceEvent(time: 2, node: "server", kind: .packetReceived(bytes: syn)),
        TraceEvent(time: 3, node: "link", kind: .packetDropped(bytes: data, reason: .loss)),
        TraceEvent(time: 3, node: "server", kind: .packetDropped(bytes: data, reason: .badChecksum(field: "TCP.checksum"))),
        TraceEvent(time: 3, node: "server", kind: .packetDropped(bytes: data, reason: .notAddressed(to: IPv4Address(1, 2, 3, 4)))),
        TraceEvent(time: 3, node: "server", kind: .packetDropped(bytes: data, reason: .malformed(detail: "odd: \"x\""))),
        TraceEvent(time: 4, node: "link", kind: .packetDuplicated(bytes: syn)),
        TraceEvent(time: 5, node: "server", kind: .stateChanged(connection: "server:80", from: .listen, to: .synReceived,
                                                               cause: .receivedSYN)),
        TraceEvent(time: 5, node: "server", kind: .stateChanged(connection: "server:80", from: .finWait2, to: .closed,
                                                               cause: .skippingTimeWait(.receivedFIN))),
        TraceEvent(time: 6, node: "client", kind: .timer(connection: "c", timer: .retransmission, action: .set(at: 1_000_000_006))),
        TraceEvent(time: 7, node: "client", kind: .timer(connection: "c", timer: .delayedACK, action: .fired)),
        TraceEvent(time: 8, node: "client", kind: .timer(connection: "c", timer: .timeWait, action: .cancelled)),
        TraceEvent(time: 9, node: "client", kind: .socketCall(socket: "client", call: .connect(to: "server:80"))),
        TraceEvent(time: 9, node: "client", kind: .socketCall(socket: "client:1>server:80", call: .sendTo("server:9", bytes: 5))),
        TraceEvent(time: 9, node: "client", kind: .socketCall(socket: "client:1>server:80", call: .pauseReading)),
        TraceEvent(time: 10, node: "client", kind: .socketEvent(socket: "client:49152", event: .open(remote: "server:80"))),
        TraceEvent(time: 10, node: "client", kind: .socketEvent(socket: "client:49152", event: .message(bytes: 7, intact: false))),
        TraceEvent(time: 10, node: "client", kind: .socketEvent(socket: "client:49152", event: .error(.unknownHost("x y")))),
        TraceEvent(time: 10, node: "client", kind: .socketEvent(socket: "c:7", event: .datagram(bytes: 3, from: "s:9", intact: true))),
        TraceEvent(time: 10, node: "client", kind: .socketCall(socket: "client:1>server:80", call: .setKeepalive(
            SocketKeepalive(idle: 7_200_000_000_000, interval: 1_500_000, probes: 9)))),
        TraceEvent(time: 10, node: "client", kind: .socketCall(socket: "client:1>server:80", call: .setKeepalive(nil))),
        TraceEvent(time: 10, node: "client", kind: .application(socket: "client:1>server:80", event: .httpRequestSent(
            id: 0, request: HTTPRequestLine(method: "GET", target: "/a?b=c%20d", version: "HTTP/1.1"),
            headerBytes: 78, bodyBytes: 0))),
        TraceEvent(time: 10, node: "server", kind: .application(socket: "server:80>client:1", event: .httpRejected(
            status: 431, reason: "offset 9,  header section: too \"large\""))),
        TraceEvent(time: 10, node: "client", kind: .application(socket: "client:1>server:80", event: .ping(
            .received, sequence: UInt64.max, bytes: 13))),
        TraceEvent(time: 11, node: "client", kind: .congestion(connection: "c", cwnd: 4380, ssthresh: 1 << 30, reason: .lossWindow)),
        TraceEvent(time: 12, node: "client", kind: .variables(connection: "c", variables)),
        TraceEvent(time: 12, node: "client", kind: .variables(connection: "c", noRTT)),
        TraceEvent(time: 13, node: "link", kind: .note(.linkDown)),
        TraceEvent(time: 13, node: "link", kind: .note(.bitFlipped(bit: 7, link: "a-b"))),
        TraceEvent(time: 13, node: "server", kind: .note(.noTCPSocket(port: 81))),
        TraceEvent(time: 13, node: "server", kind: .note(.noUDPSocket(port: 9))),
        TraceEvent(time: 13, node: "client", kind: .note(.timeLimitReached(limit: "3h", stillOpen: ["a:1>b:2", "c:3>b:2"]))),
        TraceEvent(time: 13, node: "client", kind: .note(.timeLimitReached(limit: "10s", stillOpen: []))),
        TraceEvent(time: Int64.max, node: "ünïcode\n\t\\", kind: .note(.text("link down \u{1} \"quoted\""))),
    ]
    return Trace(header: header, events: events)
}
