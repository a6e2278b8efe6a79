import Stack
import Tracing

/// A rule every run must obey, stated as a function of a trace (and a few parameters of the stack
/// that made it), so it checks any trace: a simulated run, a hand-written trace, or a capture from
/// the kernel.
///
/// Each rule is written from its RFC, from the trace alone: no invariant calls or mirrors the
/// stack's code, so a bug in the stack is not copied into its check.
public struct Invariant: Sendable {
    /// Kebab-case name, as `stacklab check --invariant NAME` takes it.
    public let name: String
    /// One sentence: what must hold.
    public let statement: String
    /// Where the rule comes from.
    public let reference: String
    /// What the trace must record for the rule to be checked; on a trace without it, it is skipped.
    public let needs: Set<TraceFeature>
    /// `nil` when the rule holds, else what broke it (starting with the time, `0.002500s ...`).
    public let check: @Sendable (TraceAnalysis, InvariantContext) -> String?

    public init(
        name: String, statement: String, reference: String, needs: Set<TraceFeature>,
        check: @escaping @Sendable (TraceAnalysis, InvariantContext) -> String?
    ) {
        self.name = name
        self.statement = statement
        self.reference = reference
        self.needs = needs
        self.check = check
    }

    public static func named(_ name: String) -> Invariant? { catalogue.first { $0.name == name } }

    /// Every invariant's name, in catalogue order.
    public static var names: [String] { catalogue.map(\.name) }

    /// Whether the rule can be checked on `analysis` in `context`: the trace records what it needs
    /// (and, for `determinism`, the case can be run again).
    public func applies(to analysis: TraceAnalysis, in context: InvariantContext) -> Bool {
        needs.isSubset(of: analysis.features) && (name != "determinism" || context.rerun != nil)
    }

    /// What is missing for this rule on `analysis`, for the "skipped" list.
    public func missing(from analysis: TraceAnalysis, in context: InvariantContext) -> [String] {
        var missing = needs.subtracting(analysis.features).sorted().map(\.rawValue)
        if name == "determinism" && context.rerun == nil { missing.append("a scenario to run again") }
        return missing
    }

    /// The time a violation message starts with (`timeText`, e.g. "0.002500s ..."), in nanoseconds.
    public static func violationTime(of message: String) -> Int64? {
        guard let end = message.firstIndex(of: "s") else { return nil }
        let parts = message[..<end].split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 6, let seconds = Int64(parts[0]), let micro = Int64(parts[1]) else {
            return nil
        }
        return seconds * 1_000_000_000 + micro * 1_000
    }

    /// The catalogue, in a fixed order.
    public static let catalogue: [Invariant] = [
        streamIntegrity, reliableDelivery, stateMachine, handshake, ackNumbers, flightWithinWindow, rtoBackoff,
        timeWait, noDataAfterFIN, rstCloses, unacceptableSegmentAcked, checksumDrop, udpDelivery, isnDistinct,
        fastRetransmit, sackLostFirst, determinism,
    ]
}

/// What an invariant may know besides the trace: the stack's parameters, and how the run ended.
public struct InvariantContext: Sendable {
    /// The retransmission timeout's upper bound (RFC 6298 §2.5), nanoseconds.
    public var maximumRTO: Int64
    /// The maximum segment lifetime; TIME-WAIT lasts twice this (RFC 9293 §3.4.2), nanoseconds.
    public var msl: Int64
    /// The run ended because nothing was left to do (not at a time or event limit).
    public var quiesced: Bool
    /// Runs the same case again, for `determinism`; nil when there is no case to run.
    public var rerun: (@Sendable () -> Trace)?
    /// Linux's rules for unacceptable segments: at most one answer per this interval to those
    /// without data (`tcp_invalid_ratelimit`), nanoseconds; nil answers every one.
    public var outOfWindowACKInterval: Int64?
    /// Linux's rule: a duplicate that arrives while an ACK is owed is answered by that ACK, when it goes.
    public var duplicatesWaitForOwedACK: Bool

    public init(maximumRTO: Int64, msl: Int64, quiesced: Bool, rerun: (@Sendable () -> Trace)? = nil,
                outOfWindowACKInterval: Int64? = nil, duplicatesWaitForOwedACK: Bool = false) {
        self.maximumRTO = maximumRTO
        self.msl = msl
        self.quiesced = quiesced
        self.rerun = rerun
        self.outOfWindowACKInterval = outOfWindowACKInterval
        self.duplicatesWaitForOwedACK = duplicatesWaitForOwedACK
    }

    /// The parameters of a simulated stack run with `tcp`.
    public init(configuration tcp: TCPConfiguration, quiesced: Bool, rerun: (@Sendable () -> Trace)? = nil) {
        self.init(maximumRTO: tcp.maximumRTO.nanoseconds, msl: tcp.msl.nanoseconds, quiesced: quiesced, rerun: rerun,
                  outOfWindowACKInterval: tcp.outOfWindowACKInterval?.nanoseconds,
                  duplicatesWaitForOwedACK: tcp.ackModel == .linux)
    }

    /// The parameters of the stack that made a trace from `source`: a simulated profile's, or
    /// Linux's for a kernel or a capture (RTO at most 120 s, TIME-WAIT 60 s). `quiesced` is false:
    /// a trace alone does not say whether its run could have gone on.
    public init(source: TraceSource, configuration: TCPConfiguration? = nil) {
        switch source {
        case .simulation(let profile):
            self.init(configuration: configuration ?? profile.tcpConfiguration(mtu: 1500), quiesced: false)
        case .kernel, .capture:
            self.init(maximumRTO: 120 * 1_000_000_000, msl: 30 * 1_000_000_000, quiesced: false,
                      outOfWindowACKInterval: 500_000_000, duplicatesWaitForOwedACK: true)
        }
    }
}

/// Seconds with microseconds, for violation messages.
func timeText(_ nanoseconds: Int64) -> String {
    let micro = nanoseconds / 1_000
    let fraction = String(micro % 1_000_000)
    return "\(micro / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)s"
}
