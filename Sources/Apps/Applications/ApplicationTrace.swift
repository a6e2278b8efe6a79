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

    /// `listen()` on `port` of `host`, recorded first (as the scenario runner records its own), with
    /// `onAccept` called for each accepted connection: how every server application starts.
    func listen(on host: any SocketHost, port: UInt16, backlog: Int,
                onAccept: @escaping (any StreamSocket) -> Void) throws(SocketError) -> any StreamListener {
        record(host, .socketCall(socket: "\(host.name):\(port)", call: .listen(backlog: backlog)))
        let listener = try host.listen(port: port, backlog: backlog)
        listener.onAccept = onAccept
        return listener
    }
}
