/// A TCP connection's variables at one moment (RFC 9293 §3.3.1 names), as the trace records them
/// whenever they change, so that consumers (the stepper's panels) never read a runtime's objects.
public struct TCPVariables: Hashable, Sendable {
    /// Initial send sequence number, `ISS`.
    public var iss: UInt32
    /// Initial receive sequence number, `IRS` (0 until the peer's SYN arrives).
    public var irs: UInt32
    /// `SND.UNA`: oldest unacknowledged sequence number.
    public var sndUNA: UInt32
    /// `SND.NXT`: next sequence number to send.
    public var sndNXT: UInt32
    /// `SND.WND`: the peer's advertised window, in bytes (scaled).
    public var sndWND: Int
    /// `RCV.NXT`: next sequence number expected.
    public var rcvNXT: UInt32
    /// `RCV.WND`: the window we advertise, in bytes.
    public var rcvWND: Int
    /// Congestion window (RFC 5681), bytes.
    public var cwnd: Int
    /// Slow-start threshold (RFC 5681), bytes.
    public var ssthresh: Int
    /// Smoothed round-trip time (RFC 6298 `SRTT`) in nanoseconds, nil before the first sample.
    public var srtt: Int64?
    /// Retransmission timeout (RFC 6298 `RTO`) in nanoseconds.
    public var rto: Int64
    /// Sequence space sent and not yet acknowledged, bytes.
    public var bytesInFlight: Int

    public init(iss: UInt32, irs: UInt32, sndUNA: UInt32, sndNXT: UInt32, sndWND: Int, rcvNXT: UInt32, rcvWND: Int,
                cwnd: Int, ssthresh: Int, srtt: Int64?, rto: Int64, bytesInFlight: Int) {
        self.iss = iss
        self.irs = irs
        self.sndUNA = sndUNA
        self.sndNXT = sndNXT
        self.sndWND = sndWND
        self.rcvNXT = rcvNXT
        self.rcvWND = rcvWND
        self.cwnd = cwnd
        self.ssthresh = ssthresh
        self.srtt = srtt
        self.rto = rto
        self.bytesInFlight = bytesInFlight
    }
}
