/// Every connection of a trace, as it stood after each event: its state (from state events), its
/// variables (from variable events) and its running timers (from timer events). What the lesson
/// stepper's panels show, computed from the trace alone.
public struct ConnectionTimeline: Sendable {
    /// One connection (or listener) after some event.
    public struct View: Hashable, Sendable {
        /// `host:port>peer:port`, or `host:port` for a listener.
        public var name: String
        public var state: TCPState
        /// Nil until the trace records them (listeners never have any).
        public var variables: TCPVariables?
        /// Running timers, in `TCPTimer.index` order.
        public var timers: [RunningTimer]
    }

    /// A timer that is running, and when it will fire (ns).
    public struct RunningTimer: Hashable, Sendable {
        public var timer: TCPTimer
        public var deadline: Int64
    }

    /// Per connection, the event indices where it changed and the view after each, in order.
    private var changes: [String: [(index: Int, view: View)]] = [:]

    public init(_ events: [TraceEvent]) {
        for (index, event) in events.enumerated() {
            switch event.kind {
            case .stateChanged(let connection, _, let to, _):
                update(connection, at: index) { $0.state = to }
            case .variables(let connection, let variables):
                update(connection, at: index) { $0.variables = variables }
            case .timer(let connection, let timer, let action):
                update(connection, at: index) { view in
                    view.timers.removeAll { $0.timer == timer }
                    if case .set(let deadline) = action {
                        view.timers.append(RunningTimer(timer: timer, deadline: deadline))
                        view.timers.sort { $0.timer.index < $1.timer.index }
                    }
                }
            case .packetSent, .packetReceived, .packetDropped, .packetDuplicated, .socketCall, .socketEvent, .congestion,
                 .application, .note:
                break
            }
        }
    }

    private mutating func update(_ connection: String, at index: Int, _ change: (inout View) -> Void) {
        var view = changes[connection]?.last?.view ?? View(name: connection, state: .closed, variables: nil, timers: [])
        change(&view)
        changes[connection, default: []].append((index, view))
    }

    /// `connection` as it stood right after event `index`, or nil if the trace has not mentioned it yet.
    public func view(of connection: String, after index: Int) -> View? {
        guard let list = changes[connection] else { return nil }
        var low = 0, high = list.count   // the first change after `index`
        while low < high {
            let middle = (low + high) / 2
            if list[middle].index <= index { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : list[low - 1].view
    }
}
