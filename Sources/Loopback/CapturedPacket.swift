import Wire

/// Which copy of a looped-back packet a capture saw.
public enum CaptureDirection: String, Hashable, Sendable {
    /// The sending host's copy (`sll_pkttype` is `PACKET_OUTGOING`), stamped as it left.
    case sent
    /// The receiving host's copy (`PACKET_HOST`), stamped as it arrived.
    case received
}

/// One IPv4 packet seen on `lo`, from one side.
///
/// Every packet on `lo` passes a packet socket twice, once going out and once coming in, and the
/// capture keeps both, so the sender's send time and the receiver's receive time are both known
/// (libpcap and tcpdump keep only the outgoing copy and lose the second time stamp).
public struct CapturedPacket: Hashable, Sendable {
    /// Nanoseconds since the network started, on its monotonic clock (converted from the kernel's
    /// wall-clock stamp by the offset between the two clocks measured when the network started).
    public var time: Int64
    /// The kernel's stamp (`SO_TIMESTAMPNS`), nanoseconds since the Unix epoch, for pcap files.
    public var wallClockNanoseconds: Int64
    public var direction: CaptureDirection
    /// The IPv4 packet, header first.
    public var bytes: [UInt8]

    public init(time: Int64, wallClockNanoseconds: Int64, direction: CaptureDirection, bytes: [UInt8]) {
        self.time = time
        self.wallClockNanoseconds = wallClockNanoseconds
        self.direction = direction
        self.bytes = bytes
    }

    /// The packet decoded by Wire's codecs, without checking checksums: on `lo` the kernel offloads
    /// checksums (`CHECKSUM_PARTIAL`), so a TCP or UDP checksum field holds only the pseudo-header
    /// sum when the packet is captured and would fail verification.
    public func parsed() throws(WireError) -> IPv4Packet {
        try IPv4Packet.parse(bytes, verifyChecksums: false)
    }
}

/// Whether a run could capture on `lo`.
public enum CaptureStatus: Hashable, Sendable {
    case available
    case unavailable(CaptureUnavailableReason)

    public var isAvailable: Bool { self == .available }
}

/// Why a run has no capture; the caller falls back to what the sockets alone tell it.
public enum CaptureUnavailableReason: Error, Hashable, Sendable, CustomStringConvertible {
    /// `LoopbackOptions.captureMode` was `.disabled`.
    case disabled
    /// Opening the packet socket failed with `EPERM` or `EACCES`: the process lacks `CAP_NET_RAW`.
    /// `simulated` is true when `.simulateDenied` injected the failure.
    case permissionDenied(simulated: Bool)
    /// Another system call failed while setting the capture up.
    case failed(SyscallError)

    public var description: String {
        switch self {
        case .disabled:
            "capture disabled"
        case .permissionDenied(let simulated):
            "capture on lo needs CAP_NET_RAW (run as root)" + (simulated ? " [simulated]" : "")
        case .failed(let error):
            "capture on lo failed: \(error)"
        }
    }
}
