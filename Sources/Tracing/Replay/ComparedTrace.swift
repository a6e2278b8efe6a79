/// One side of a comparison: a trace and how to read it.
public struct ComparedTrace: Sendable {
    public var trace: Trace
    /// How the trace's ports map to the scenario's.
    public var ports: ReplayPortMap
    /// Whether the trace has packets (a kernel run without capture permission has none).
    public var hasPackets: Bool
    /// Events after this time are not compared (a runtime's cleanup after the scenario ended); nil: all.
    public var endTime: Int64?

    public init(trace: Trace, ports: ReplayPortMap, hasPackets: Bool = true, endTime: Int64? = nil) {
        self.trace = trace
        self.ports = ports
        self.hasPackets = hasPackets
        self.endTime = endTime
    }
}
