/// One connection or flow compared.
public struct ConnectionComparison: Sendable {
    public var key: ReplayConnectionKey
    /// How each trace names it (`client:49152>server:80`), nil where it is missing.
    public var simulatedName: String?
    public var kernelName: String?
    public var simulated: [ReplaySegment]
    public var kernel: [ReplaySegment]
    /// Rows in display order, with positions in `simulated` and `kernel`.
    public var rows: [ReplayRow]
    public var difference: ReplayDifference?
    /// The simulated FINs crossed (a simultaneous close).
    public var finsCrossed: Bool
    /// The TIME-WAIT check on each trace (TCP only).
    public var simulatedTimeWait: TimeWaitFinding?
    public var kernelTimeWait: TimeWaitFinding?
}
