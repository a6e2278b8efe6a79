import Sockets
import Tracing

/// Where applications record what they do: socket calls and events, as the scenario runner
/// records its own, and the application events that say what the bytes meant.
public struct ApplicationTrace {
    let observer: any TraceObserver

    public init(observer: any TraceObserver) {
        self.observer = observer
    }

    /// Records `kind` on `host` at the host's time (only counts it when the observer keeps no events).
    func record(_ host: any SocketHost, _ kind: @autoclosure () -> TraceEventKind) {
        if observer.wantsEvents {
            observer.record(TraceEvent(time: host.now, node: host.name, kind: kind()))
        } else {
            observer.count(at: host.now)
        }
    }
}
