import Apps
import Runs
import Stack
import Tracing
import Wire

/// One case run on the simulated stack, with what invariants need: the trace decoded once.
public final class CheckRun {
    public let checkCase: CheckCase
    public let scenario: Scenario
    public let ablation: Ablation?
    /// The TCP configuration the run used (the profile's, with the ablation applied).
    public let configuration: TCPConfiguration
    public let run: SimulatedRun

    public init(_ checkCase: CheckCase, ablation: Ablation? = nil) {
        self.checkCase = checkCase
        self.ablation = ablation
        scenario = checkCase.scenario
        let profile = StackProfile(rawValue: scenario.profile) ?? .textbook
        var configuration = profile.tcpConfiguration(mtu: scenario.link.mtu)
        ablation?.apply(to: &configuration)
        self.configuration = configuration
        run = SimulatedRun(scenario, configuration: configuration,
                           verifiesChecksums: ablation?.verifiesChecksums ?? true,
                           eventLimit: ablation == nil ? Self.eventLimit : Self.ablatedEventLimit)
    }

    /// Scheduler events after which a run is cut short (an ACK war under `ack-off-by-one` never ends).
    public static let eventLimit = 30_000
    /// The same for ablated runs, lower: an ablation's consequences need not be run out.
    public static let ablatedEventLimit = 5_000

    /// The same case run again (for the determinism invariant).
    public func rerun() -> SimulatedRun {
        SimulatedRun(scenario, configuration: configuration, verifiesChecksums: ablation?.verifiesChecksums ?? true,
                     eventLimit: ablation == nil ? Self.eventLimit : Self.ablatedEventLimit)
    }

    public private(set) lazy var analysis = TraceAnalysis(run)

    /// Whether the run stopped because nothing was left to do (rather than at the time limit):
    /// nothing happened in the last 200 s before the limit (longer than any timer interval).
    public var quiesced: Bool {
        !run.reachedEventLimit && run.summary.endTime < scenario.timeLimit - 200 * 1_000_000_000
    }
}

/// A run's trace grouped by connection, packets decoded once.
public struct TraceAnalysis {
    /// One thing that happened to a connection, in trace order.
    public enum Item {
        case sent(TCPSegment, note: String)
        case received(TCPSegment)
        case state(from: String, to: String, cause: String)
        case timer(String, TimerAction)
        case congestion(cwnd: Int, ssthresh: Int, reason: String)
    }

    public struct Entry {
        public var time: Int64
        /// `host:port>peer:port`.
        public var connection: String
        public var item: Item
    }

    /// Connection items in trace order (all connections interleaved).
    public private(set) var entries: [Entry] = []
    /// Every packet an IP layer accepted, raw.
    public private(set) var receivedPackets: [(time: Int64, node: String, bytes: [UInt8])] = []
    /// Socket calls in trace order: (time, socket `host:port`, call, argument).
    public private(set) var calls: [(time: Int64, socket: String, call: String, argument: String)] = []
    /// Link duplications seen.
    public private(set) var duplications = 0
    /// Per connection, the data octets it transmitted at least once (highest data end − ISS − 1).
    public private(set) var dataTransmitted: [String: Int] = [:]
    /// Per connection, the window-scale shift of the windows it receives (present when both SYNs offered one).
    public private(set) var windowShifts: [String: Int] = [:]

    public init(_ run: SimulatedRun) {
        let names = run.hostNames
        func name(_ address: IPv4Address) -> String { names[address] ?? address.description }
        for event in run.events {
            switch event.kind {
            case .packetSent(let bytes, let note):
                guard let packet = try? IPv4Packet.parse(bytes, verifyChecksums: false),
                      case .tcp(let segment) = packet.payload else { continue }
                let connection = "\(event.node):\(segment.header.sourcePort)>\(name(packet.header.destination)):\(segment.header.destinationPort)"
                entries.append(Entry(time: event.time, connection: connection, item: .sent(segment, note: note)))
            case .packetReceived(let bytes):
                receivedPackets.append((event.time, event.node, bytes))
                guard let packet = try? IPv4Packet.parse(bytes, verifyChecksums: false),
                      case .tcp(let segment) = packet.payload else { continue }
                let connection = "\(event.node):\(segment.header.destinationPort)>\(name(packet.header.source)):\(segment.header.sourcePort)"
                entries.append(Entry(time: event.time, connection: connection, item: .received(segment)))
            case .stateChanged(let connection, let from, let to, let cause):
                entries.append(Entry(time: event.time, connection: connection, item: .state(from: from, to: to, cause: cause)))
            case .timer(let connection, let timer, let action):
                entries.append(Entry(time: event.time, connection: connection, item: .timer(timer, action)))
            case .congestion(let connection, let cwnd, let ssthresh, let reason):
                entries.append(Entry(time: event.time, connection: connection,
                                     item: .congestion(cwnd: cwnd, ssthresh: ssthresh, reason: reason)))
            case .socketCall(let socket, let call, let argument):
                calls.append((event.time, socket, call, argument))
            case .packetDuplicated:
                duplications += 1
            case .packetDropped, .socketEvent, .note:
                break
            }
        }
        var offered: [String: (ours: UInt8?, theirs: UInt8?)] = [:]
        var iss: [String: SequenceNumber] = [:]
        for entry in entries {
            if case .sent(let segment, _) = entry.item {
                if segment.header.flags.contains(.syn) { iss[entry.connection] = segment.header.sequenceNumber }
                if !segment.payload.isEmpty, let first = iss[entry.connection] {
                    let count = Int(segment.dataEnd - first) - 1
                    dataTransmitted[entry.connection] = max(dataTransmitted[entry.connection] ?? 0, count)
                }
            }
            switch entry.item {
            case .sent(let segment, _) where segment.header.flags.contains(.syn):
                offered[entry.connection, default: (nil, nil)].ours = Self.windowShift(in: segment)
            case .received(let segment) where segment.header.flags.contains(.syn):
                offered[entry.connection, default: (nil, nil)].theirs = Self.windowShift(in: segment)
            case .sent, .received, .state, .timer, .congestion:
                break
            }
        }
        for (connection, shifts) in offered {
            if shifts.ours != nil, let theirs = shifts.theirs { windowShifts[connection] = Int(min(theirs, 14)) }
        }
    }

    static func windowShift(in segment: TCPSegment) -> UInt8? {
        for option in segment.header.options { if case .windowScale(let value) = option { return value } }
        return nil
    }

    /// Data octets `connection` transmitted at least once.
    public func transmitted(by connection: String) -> Int { dataTransmitted[connection] ?? 0 }

    /// `a:1>b:2` → `b:2>a:1`.
    public static func peer(of connection: String) -> String {
        guard let arrow = connection.firstIndex(of: ">") else { return connection }
        return String(connection[connection.index(after: arrow)...]) + ">" + String(connection[..<arrow])
    }

    /// Whether the application at `socket` made this call. (Accepted sockets share the listener's
    /// name, `server:80`: then this is whether any of them did, which keeps checks conservative.)
    public func called(_ call: String, on socket: String) -> Bool {
        calls.contains { $0.socket == socket && $0.call == call }
    }

    /// Whether reading was paused at the end of the run.
    public func readingPausedAtEnd(_ socket: String) -> Bool {
        calls.last { $0.socket == socket && ($0.call == "pause-reading" || $0.call == "resume-reading") }?.call
            == "pause-reading"
    }
}

extension TCPSegment {
    /// The sequence number just past this segment's data (FIN excluded).
    var dataEnd: SequenceNumber { header.sequenceNumber + UInt32(payload.count) }
    /// The sequence number just past everything this segment occupies (SYN and FIN included).
    var end: SequenceNumber { header.sequenceNumber + sequenceLength }
}
