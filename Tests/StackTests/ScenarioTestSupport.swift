import Apps
import Runs
import Tracing
import Wire

/// Runs a built-in scenario with overrides; fails loudly if the name is unknown.
func run(_ name: String, _ overrides: ScenarioOverrides = ScenarioOverrides()) -> Run {
    guard let scenario = BuiltInScenarios.scenario(named: name, overrides: overrides) else {
        fatalError("no built-in scenario \(name)")
    }
    return SimulatedRuntime().run(scenario)
}

/// A TCP segment seen in a trace, decoded.
struct TracedSegment {
    var time: Int64
    var node: String
    var segment: TCPSegment
    var cause: SendCause
}

extension Run {
    /// What the applications did and saw.
    var sockets: SocketActivity { SocketActivity(events) }

    /// Segments sent by `node` (all nodes when nil), in trace order.
    func segmentsSent(by node: String? = nil) -> [TracedSegment] {
        events.compactMap { event in
            guard node == nil || event.node == node, case .packetSent(let bytes, let cause) = event.kind,
                  let packet = try? IPv4Packet.parse(bytes), case .tcp(let segment) = packet.payload else { return nil }
            return TracedSegment(time: event.time, node: event.node, segment: segment, cause: cause)
        }
    }

    /// State changes `(time, connection, from, to)` on `node`.
    func stateChanges(on node: String) -> [(time: Int64, connection: String, from: TCPState, to: TCPState)] {
        events.compactMap { event in
            guard event.node == node, case .stateChanged(let connection, let from, let to, _) = event.kind else { return nil }
            return (event.time, connection, from, to)
        }
    }

    /// The first time `node` entered `state`.
    func firstTime(_ node: String, enters state: TCPState) -> Int64? {
        stateChanges(on: node).first { $0.to == state }?.time
    }
}

let millisecond: Int64 = 1_000_000
let second: Int64 = 1_000_000_000
