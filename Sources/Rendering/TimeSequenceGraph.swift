import Tracing
public struct TimeSequenceGraph: Sendable {
    public init(trace: Trace, options: DiagramOptions = DiagramOptions()) {}
    public func svg() -> String { "" }
    public func text() -> String { "" }
}
