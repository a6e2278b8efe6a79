import Wire

/// A trace as a pcapng file that tells Wireshark what StackLab knew: one interface per host, each
/// packet on its sender's interface (outbound), nanosecond timestamps from the trace, and packet
/// comments (`opt_comment`) with what the packet caused or came with: the state changes, timers
/// and congestion-window changes of the step that sent it or that its arrival started, why it was
/// sent again, and where and why it was dropped.
///
/// Exactly the packets `TracePcap` exports (every `packet_sent`, once); events that belong to no
/// packet (a timer firing with nothing to send, say) are not in the file.
public enum TracePcapng {
    /// The file's bytes. `extraComments` adds comments to the packet of a trace event index (the
    /// lesson export puts each step's narration there).
    public static func bytes(of trace: Trace, extraComments: [Int: [String]] = [:]) -> [UInt8] {
        let hosts = trace.header.hosts.map(\.name)
        var interfaceOf: [String: Int] = [:]
        var names: [String] = []
        for host in hosts where interfaceOf[host] == nil {
            interfaceOf[host] = names.count
            names.append(host)
        }
        // Packets sent by nodes that are not hosts (a capture's addresses) get interfaces too.
        for event in trace.events {
            if case .packetSent = event.kind, interfaceOf[event.node] == nil {
                interfaceOf[event.node] = names.count
                names.append(event.node)
            }
        }
        var writer = PcapngWriter(interfaces: (names.isEmpty ? ["stacklab"] : names).map { PcapngInterface(name: $0) })
        let packets = comments(of: trace)
        for packet in packets {
            let event = trace.events[packet.eventIndex]
            guard case .packetSent(let bytes, _) = event.kind else { continue }
            writer.append(packet: bytes, timestampNanoseconds: UInt64(max(0, event.time)),
                          interface: interfaceOf[event.node] ?? 0,
                          comments: packet.comments + (extraComments[packet.eventIndex] ?? []), direction: .outbound)
        }
        return writer.bytes
    }

    /// One exported packet: the index of its `packet_sent` event and its comments, in order.
    public struct Packet: Hashable, Sendable {
        public var eventIndex: Int
        public var comments: [String]
    }

    /// Every sent packet with the comments the pcapng file gives it.
    ///
    /// At one instant on one host, the events after a packet arrived belong to that packet (its
    /// arrival caused them); events before a host sends, with no arrival before them, belong to
    /// the next packet it sends (a CLOSE's state change goes with its FIN), and bookkeeping right
    /// after a send (the timer armed for it) belongs to that send.
    public static func comments(of trace: Trace) -> [Packet] {
        story(of: trace).packets
    }

    /// For every trace event, the `packet_sent` event index of the packet that tells it: the
    /// packet itself for a send, the packet that arrived or was dropped for a reception or a drop,
    /// the packet whose comments hold the event for the others; nil when no packet does (a timer
    /// firing with nothing to send, a socket event). The lesson export puts a step's narration
    /// beside its event's own comment this way.
    public static func packetOwners(in trace: Trace) -> [Int?] {
        story(of: trace).owners
    }

    /// The packets with their comments and, per event, the packet that tells it.
    private static func story(of trace: Trace) -> (packets: [Packet], owners: [Int?]) {
        var packets: [Packet] = []
        var owners: [Int?] = Array(repeating: nil, count: trace.events.count)
        var inFlight: [[UInt8]: [Int]] = [:]  // bytes → packets sent and not yet received or dropped
        var context: [String: (time: Int64, packet: Int)] = [:]
        var arrival: [String: (time: Int64, packet: Int)] = [:]   // the packet that last reached each host
        var pending: [String: (time: Int64, texts: [String], events: [Int])] = [:]
        func attach(_ text: String, node: String, time: Int64, event: Int) {
            if let current = context[node], current.time == time {
                packets[current.packet].comments.append(text)
                owners[event] = packets[current.packet].eventIndex
            } else if var waiting = pending[node], waiting.time == time {
                waiting.texts.append(text)
                waiting.events.append(event)
                pending[node] = waiting
            } else {
                pending[node] = (time, [text], [event])
            }
        }
        for (index, event) in trace.events.enumerated() {
            switch event.kind {
            case .packetSent(let bytes, let cause):
                let position = packets.count
                var texts: [String] = []
                if let waiting = pending[event.node], waiting.time == event.time {
                    texts = waiting.texts
                    for waitingEvent in waiting.events { owners[waitingEvent] = index }
                }
                pending[event.node] = nil
                if case .retransmission(let why) = cause { texts.append("sent again: \(why)") }
                packets.append(Packet(eventIndex: index, comments: texts))
                owners[index] = index
                inFlight[bytes, default: []].append(position)
                context[event.node] = (event.time, position)
            case .packetReceived(let bytes):
                guard let position = inFlight[bytes]?.first else { continue }
                inFlight[bytes]?.removeFirst()
                owners[index] = packets[position].eventIndex
                context[event.node] = (event.time, position)
                arrival[event.node] = (event.time, position)
            case .packetDropped(let bytes, let reason):
                // A drop on the way or at the receiver: the packet never arrived (as far as TCP goes).
                guard let position = inFlight[bytes]?.first else { continue }
                inFlight[bytes]?.removeFirst()
                owners[index] = packets[position].eventIndex
                packets[position].comments.append((reason.isInTransit ? "lost on the way (\(event.node)): "
                                                                      : "dropped by \(event.node): ") + reason.description)
                if !reason.isInTransit { context[event.node] = (event.time, position) }
            case .packetDuplicated(let bytes):
                guard let position = inFlight[bytes]?.first else { continue }
                owners[index] = packets[position].eventIndex
                packets[position].comments.append("duplicated on the way (\(event.node))")
                inFlight[bytes, default: []].append(position)
            case .stateChanged(let connection, let from, let to, let cause):
                let text = "\(connection): \(from) → \(to) (\(cause))"
                if cause.isArrival, let last = arrival[event.node], last.time == event.time {
                    packets[last.packet].comments.append(text)   // the segment whose arrival caused it
                    owners[index] = packets[last.packet].eventIndex
                } else {
                    attach(text, node: event.node, time: event.time, event: index)
                }
            case .timer(let connection, let timer, let action):
                switch action {
                case .set(let at):
                    attach("\(connection): \(timer) timer set for \(TraceTextFormatter.seconds(at)) s",
                           node: event.node, time: event.time, event: index)
                case .cancelled:
                    attach("\(connection): \(timer) timer cancelled", node: event.node, time: event.time, event: index)
                case .fired:
                    context[event.node] = nil   // what a timer causes belongs to the timer's packets
                    attach("\(connection): \(timer) timer fired", node: event.node, time: event.time, event: index)
                }
            case .congestion(let connection, let cwnd, let ssthresh, let reason):
                let threshold = ssthresh >= 1 << 30 ? "∞" : "\(ssthresh)"
                attach("\(connection): cwnd \(cwnd), ssthresh \(threshold) (\(reason))", node: event.node, time: event.time,
                       event: index)
            case .socketCall(let socket, let call):
                context[event.node] = nil   // an application's call starts a step of its own
                attach("\(socket): \(call.name)(\(call.argument))", node: event.node, time: event.time, event: index)
            case .socketEvent, .variables, .note:
                break
            }
        }
        return (packets, owners)
    }
}
