import Tracing
import Wire

/// The workload `stacklab bench render` measures: a large synthetic trace, built the same way
/// every time, and the renderers run over it. Nothing here reads a clock; the caller times it.
public enum RenderWorkload {
    /// A bulk transfer of `events` events (rounded down to whole rounds of four): the client
    /// sends 1000-byte segments, the server acknowledges each, 10 ms each way; every 97th
    /// segment is lost on the link and retransmitted after an RTO.
    public static func trace(events count: Int = 100_000) -> Trace {
        let client = IPv4Address(10, 0, 0, 1), server = IPv4Address(10, 0, 0, 2)
        let payload = [UInt8](repeating: 0x61, count: 1000)
        var events: [TraceEvent] = []
        events.reserveCapacity(count)
        var time: Int64 = 0
        var sequence: UInt32 = 1_000
        var identification: UInt16 = 0
        func packet(_ from: IPv4Address, _ to: IPv4Address, seq: UInt32, ack: UInt32, flags: TCPFlags, data: [UInt8]) -> [UInt8] {
            identification &+= 1
            let (sp, dp): (UInt16, UInt16) = from == client ? (49152, 80) : (80, 49152)
            let header = TCPHeader(sourcePort: sp, destinationPort: dp, sequenceNumber: SequenceNumber(seq),
                                   acknowledgmentNumber: SequenceNumber(ack), flags: flags, window: 65535)
            return IPv4Packet(source: from, destination: to, identification: identification,
                              payload: .tcp(TCPSegment(header: header, payload: data))).emit()
        }
        let connection = "client:49152>server:80"
        events.append(TraceEvent(time: 0, node: "client", kind: .stateChanged(connection: connection, from: .closed,
                                                                            to: .established, cause: .activeOpen)))
        var round = 0
        while events.count + 4 <= count {
            round += 1
            let data = packet(client, server, seq: sequence, ack: 5_000, flags: [.ack, .psh], data: payload)
            if round % 97 == 0 {
                events.append(TraceEvent(time: time, node: "client", kind: .packetSent(bytes: data, cause: .original)))
                events.append(TraceEvent(time: time, node: "client-server", kind: .packetDropped(bytes: data, reason: .loss)))
                events.append(TraceEvent(time: time, node: "client", kind: .timer(connection: connection, timer: .retransmission,
                                                                                  action: .set(at: time + 200_000_000))))
                time += 200_000_000
                events.append(TraceEvent(time: time, node: "client", kind: .timer(connection: connection, timer: .retransmission,
                                                                                  action: .fired)))
                continue
            }
            events.append(TraceEvent(time: time, node: "client", kind: .packetSent(bytes: data, cause: round % 97 == 1 && round > 1
                                                                                    ? .retransmission(.timeout) : .original)))
            events.append(TraceEvent(time: time + 10_000_000, node: "server", kind: .packetReceived(bytes: data)))
            sequence &+= UInt32(payload.count)
            let ack = packet(server, client, seq: 5_000, ack: sequence, flags: .ack, data: [])
            events.append(TraceEvent(time: time + 10_000_000, node: "server", kind: .packetSent(bytes: ack, cause: .original)))
            events.append(TraceEvent(time: time + 20_000_000, node: "client", kind: .packetReceived(bytes: ack)))
            time += 20_000_000
        }
        let header = TraceHeader(scenario: "synthetic-bulk", seed: 0, profile: "textbook",
                                 hosts: [TraceHost(name: "client", address: client), TraceHost(name: "server", address: server)],
                                 link: LinkSpec())
        return Trace(header: header, events: events)
    }

    /// Renders `trace` as the terminal ladder; returns the number of UTF-8 bytes produced.
    public static func renderASCII(_ trace: Trace) -> Int {
        LadderRenderer(trace: trace).render().utf8.count
    }

    /// Renders `trace` as the SVG ladder; returns the number of UTF-8 bytes produced.
    public static func renderSVG(_ trace: Trace) -> Int {
        SVGLadderRenderer(trace: trace).render().utf8.count
    }
}
