import Loopback
import Tracing

/// The trace of a loopback network driven by hand rather than by a scenario (`stacklab serve`):
/// built as `LoopbackRuntime` builds a run's, from what the applications recorded, the packets
/// captured on `lo` (when the process may capture) and the TCP states sampled from the kernel.
/// Without a capture the trace still holds every socket call, socket event and application event.
public enum LoopbackSessionTrace {
    public static func trace(name: String, recorded: [TraceEvent], result: LoopbackRunResult) -> Trace {
        let hosts = result.addresses.map { TraceHost(name: $0.name, address: $0.address) }
        let header = TraceHeader(scenario: name, seed: 0, profile: TraceSource.kernelProfile, hosts: hosts,
                                 link: LinkSpec(rtt: 0))
        return Trace(header: header, events: LoopbackRuntime.events(recorded, result))
    }
}
