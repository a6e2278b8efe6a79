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
    /// The file's bytes. `extraComments` adds comments for trace events (the lesson export puts
    /// each step's narration under its event): they go into the packet that tells the event, right
    /// after the event's own comment; an event no packet tells (a timer firing with nothing to
    /// send) has them added to the last packet sent before it (or the first packet, before any).
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
        for packet in comments(of: trace, extraComments: extraComments) {
            let event = trace.events[packet.eventIndex]
            guard case .packetSent(let bytes, _) = event.kind else { continue }
            writer.append(packet: bytes, timestampNanoseconds: UInt64(max(0, event.time)),
                          interface: interfaceOf[event.node] ?? 0, comments: packet.comments, direction: .outbound)
        }
        return writer.bytes
    }

    /// One exported packet: the index of its `packet_sent` event and its comments, in order.
    public struct Packet: Hashable, Sendable {
        public var eventIndex: Int
        public var comments: [String]
    }

    /// Every sent packet with the comments the pcapng file gives it (`extraComments` placed as
    /// `bytes(of:extraComments:)` says).
    ///
    /// At one instant on one host, the events after a packet arrived belong to that packet (its
    /// arrival caused them); events before a host sends, with no arrival before them, belong to
    /// the next packet it sends (a CLOSE's state change goes with its FIN), and bookkeeping right
    /// after a send (the timer armed for it) belongs to that send.
    public static func comments(of trace: Trace, extraComments: [Int: [String]] = [:]) -> [Packet] {
        walk(trace, extraComments: extraComments).packets
    }

    /// For every trace event, the `packet_sent` event index of the packet that tells it: the
    /// packet itself for a send; the packet that arrived, was dropped or duplicated for those
    /// events; the packet whose comments hold the event's comment for the others. Nil when no
    /// packet does (a timer firing with nothing to send, a socket event).
    public static func packetOwners(in trace: Trace) -> [Int?] {
        walk(trace, extraComments: [:]).owners
    }

    /// The packets with their comments, and the packet that tells each event.
    private static func walk(_ trace: Trace, extraComments: [Int: [String]]) -> (packets: [Packet], owners: [Int?]) {
        var packets: [Packet] = []
        var owners: [Int?] = Array(repeating: nil, count: trace.events.count)
        var inFlight: [[UInt8]: [Int]] = [:]  // bytes → packets sent and not yet received or dropped
        var context: [String: (time: Int64, packet: Int)] = [:]
        var arrival: [String: (time: Int64, packet: Int)] = [:]   // the packet that last reached each host
        var pending: [String: Waiting] = [:]
        /// Extra comments of events before any packet was sent.
        var preamble: [String] = []

        /// Extra comments whose event no packet tells: into the last packet sent so far.
        func settle(_ extras: [Waiting.Extra]) {
            for extra in extras {
                if packets.isEmpty {
                    preamble += extra.texts
                } else {
                    packets[packets.count - 1].comments += extra.texts
                }
            }
        }
        /// `text` (the event's own comment, if it has one) and the event's extra comments, into `packet`.
        func place(_ text: String?, event: Int, in packet: Int) {
            owners[event] = packets[packet].eventIndex
            if let text { packets[packet].comments.append(text) }
            packets[packet].comments += extraComments[event] ?? []
        }
        /// Into the packet of the host's current step, else waiting for the host's next packet.
        func attach(_ text: String?, node: String, time: Int64, event: Int) {
            if let current = context[node], current.time == time {
                place(text, event: event, in: current.packet)
                return
            }
            var waiting = pending[node].flatMap { $0.time == time ? $0 : nil } ?? Waiting(time: time)
            if let old = pending[node], old.time != time { settle(old.extras) }
            if let text { waiting.texts.append(text) }
            waiting.events.append(event)
            if let extra = extraComments[event] {
                waiting.texts += extra
                waiting.extras.append(Waiting.Extra(event: event, texts: extra))
            }
            pending[node] = waiting
        }

        for (index, event) in trace.events.enumerated() {
            switch event.kind {
            case .packetSent(let bytes, let cause):
                let position = packets.count
                var texts: [String] = []
                if let waiting = pending[event.node] {
                    if waiting.time == event.time {
                        texts = waiting.texts
                        for told in waiting.events { owners[told] = index }
                    } else {
                        settle(waiting.extras)
                    }
                }
                pending[event.node] = nil
                if case .retransmission(let why) = cause { texts.append("sent again: \(why)") }
                if position == 0 { texts = preamble + texts }
                packets.append(Packet(eventIndex: index, comments: texts))
                place(nil, event: index, in: position)
                inFlight[bytes, default: []].append(position)
                context[event.node] = (event.time, position)
            case .packetReceived(let bytes):
                guard let position = inFlight[bytes]?.first else {
                    attach(nil, node: event.node, time: event.time, event: index)
                    continue
                }
                inFlight[bytes]?.removeFirst()
                place(nil, event: index, in: position)
                context[event.node] = (event.time, position)
                arrival[event.node] = (event.time, position)
            case .packetDropped(let bytes, let reason):
                // A drop on the way or at the receiver: the packet never arrived (as far as TCP goes).
                guard let position = inFlight[bytes]?.first else {
                    attach(nil, node: event.node, time: event.time, event: index)
                    continue
                }
                inFlight[bytes]?.removeFirst()
                let whereLost = reason.isInTransit ? "lost on the way (\(event.node)): " : "dropped by \(event.node): "
                place(whereLost + reason.description, event: index, in: position)
                if !reason.isInTransit { context[event.node] = (event.time, position) }
            case .packetDuplicated(let bytes):
                guard let position = inFlight[bytes]?.first else {
                    attach(nil, node: event.node, time: event.time, event: index)
                    continue
                }
                place("duplicated on the way (\(event.node))", event: index, in: position)
                inFlight[bytes, default: []].append(position)
            case .stateChanged(let connection, let from, let to, let cause):
                let text = "\(connection): \(from) → \(to) (\(cause))"
                if cause.isArrival, let last = arrival[event.node], last.time == event.time {
                    place(text, event: index, in: last.packet)   // the segment whose arrival caused it
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
            case .application(let socket, let application):
                attach("\(socket): \(application)", node: event.node, time: event.time,
                       event: index)
            case .socketEvent, .variables, .note:
                if extraComments[index] != nil { attach(nil, node: event.node, time: event.time, event: index) }
            }
        }
        // Extra comments still waiting for a packet that never came, in the order of their events.
        let left = pending.values.flatMap(\.extras).sorted { $0.event < $1.event }
        settle(left)
        return (packets, owners)
    }

    /// What waits for a host's next packet at one instant: the comments, and the extra comments
    /// among them (kept, should no packet come).
    private struct Waiting {
        struct Extra {
            var event: Int
            var texts: [String]
        }

        var time: Int64
        var texts: [String] = []
        /// The events whose comments wait here.
        var events: [Int] = []
        var extras: [Extra] = []
    }
}
