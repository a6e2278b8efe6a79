import Wire

/// How a `LoopbackNetwork` runs: addresses, capture, timeouts and signal handling.
public struct LoopbackOptions: Sendable {
    /// Whether to capture on `lo`.
    public enum CaptureMode: Hashable, Sendable {
        /// Capture if the process may (`CAP_NET_RAW`); otherwise report why not.
        case enabled
        /// Do not capture.
        case disabled
        /// Fail as a process without `CAP_NET_RAW` does, so tests can check the fallback.
        case simulateDenied
    }

    /// What a `SIGINT` or `SIGTERM` during `run` does.
    public enum SignalHandling: Hashable, Sendable {
        /// Stop the loop, close every descriptor, restore the previous disposition, then raise the
        /// signal again so the process ends (or its own handler runs) as it would have.
        case stopAndReraise
        /// Stop the loop, close every descriptor, restore the previous disposition, and report the
        /// signal in the run's outcome.
        case stopAndReport
        /// Install no handler.
        case ignore
    }

    /// The first host's address; the others follow (127.0.0.1, 127.0.0.2, …). Must be in 127.0.0.0/8.
    public var firstAddress: IPv4Address
    public var captureMode: CaptureMode
    /// How long a connection attempt may take before it fails with `timedOut`, nanoseconds.
    public var connectTimeout: Int64
    /// How long a closed connection may wait for its peer's FIN before the descriptor is released
    /// anyway (the kernel then finishes the connection on its own, as after a real `close`; bytes
    /// still queued in the socket and not yet taken by the kernel are dropped), nanoseconds.
    public var closeTimeout: Int64
    /// How long the loop waits with nothing to do before `run` returns, for a packet still on its
    /// way, nanoseconds.
    public var quietPeriod: Int64
    /// The longest single `poll` wait, so a signal or a deadline is noticed promptly, nanoseconds.
    public var maximumPollWait: Int64
    public var signalHandling: SignalHandling
    /// `SO_RCVBUF` of the capture socket.
    public var captureBufferSize: Int

    public init(
        firstAddress: IPv4Address = IPv4Address(127, 0, 0, 1), captureMode: CaptureMode = .enabled,
        connectTimeout: Int64 = 3_000_000_000, closeTimeout: Int64 = 3_000_000_000,
        quietPeriod: Int64 = 20_000_000, maximumPollWait: Int64 = 100_000_000,
        signalHandling: SignalHandling = .stopAndReraise, captureBufferSize: Int = 8 << 20
    ) {
        self.firstAddress = firstAddress
        self.captureMode = captureMode
        self.connectTimeout = connectTimeout
        self.closeTimeout = closeTimeout
        self.quietPeriod = quietPeriod
        self.maximumPollWait = maximumPollWait
        self.signalHandling = signalHandling
        self.captureBufferSize = captureBufferSize
    }
}

/// Why a `LoopbackNetwork` could not be built.
public enum LoopbackError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The address is outside 127.0.0.0/8: the loopback runtime never sends a packet off the machine.
    case notLoopback(IPv4Address)
    /// More hosts than addresses from the first one to 127.255.255.254.
    case tooManyHosts(count: Int, first: IPv4Address, room: Int)
    /// Two hosts share a name.
    case duplicateHostName(String)
    /// A system call failed (creating the signal relay, for instance).
    case system(SyscallError)

    public var description: String {
        switch self {
        case .notLoopback(let address):
            "\(address) is not a loopback address: the loopback runtime uses 127.0.0.0/8 only"
        case .tooManyHosts(let count, let first, let room):
            "\(count) hosts do not fit in 127.0.0.0/8 from \(first): room for \(room)"
        case .duplicateHostName(let name):
            "host name '\(name)' is used twice"
        case .system(let error):
            "\(error)"
        }
    }
}
