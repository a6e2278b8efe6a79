import Checking
import Testing
import Tracing

/// Which invariants apply to a trace, by what its source records (`TraceSource.features`), and
/// what the others are missing: the "skipped" list of `stacklab check --trace`.
@Suite("Which invariants apply to which traces")
struct ApplicabilityTests {
    /// The healthy connection, as a trace whose header says it came from `profile`.
    static func trace(profile: String) -> Trace {
        var trace = TraceBuilder.healthyConnection()
        trace.header.profile = profile
        return trace
    }

    /// Invariant name → what it is missing on `trace` in `context`, for those that do not apply.
    static func skipped(_ trace: Trace, _ context: InvariantContext) -> [String: [String]] {
        let analysis = TraceAnalysis(trace)
        var skipped: [String: [String]] = [:]
        for invariant in Invariant.catalogue where !invariant.applies(to: analysis, in: context) {
            skipped[invariant.name] = invariant.missing(from: analysis, in: context)
        }
        return skipped
    }

    static func applicable(_ trace: Trace, _ context: InvariantContext) -> [String] {
        let analysis = TraceAnalysis(trace)
        return Invariant.catalogue.filter { $0.applies(to: analysis, in: context) }.map(\.name)
    }

    @Test("a capture records sent packets only: ack-numbers, no-data-after-fin and isn-distinct apply")
    func capture() {
        let trace = Self.trace(profile: "capture")
        #expect(trace.header.source == .capture)
        #expect(TraceAnalysis(trace).features == [.sentPackets])
        let context = InvariantContext(source: .capture)
        #expect(Self.applicable(trace, context) == ["ack-numbers", "no-data-after-fin", "isn-distinct"])
        let skipped = Self.skipped(trace, context)
        #expect(skipped == [
            "stream-integrity": ["socket calls and events"],
            "reliable-delivery": ["socket calls and events"],
            "state-machine": ["state changes"],
            "handshake": ["received packets", "state changes"],
            "flight-within-window": ["received packets", "timers", "congestion window"],
            "rto-backoff": ["received packets", "timers"],
            "time-wait": ["state changes", "timers"],
            "rst-closes": ["state changes"],
            "unacceptable-segment-acked": ["received packets", "state changes"],
            "checksum-drop": ["received packets", "checksums"],
            "udp-delivery": ["received packets", "socket calls and events", "link faults"],
            "fast-retransmit": ["received packets", "state changes", "timers"],
            "sack-lost-first": ["received packets", "state changes", "timers"],
            "determinism": ["a scenario to run again"],
        ])
        // Any profile a reader does not know is taken for a capture.
        let unknown = TraceHeader(scenario: "x", seed: 0, profile: "wireshark", hosts: [], link: LinkSpec())
        #expect(unknown.source == .capture)
    }

    @Test("a kernel trace: packets both ways, sockets and link faults, but sampled states and no timers")
    func kernel() {
        let trace = Self.trace(profile: TraceSource.kernelProfile)
        #expect(trace.header.source == .kernel)
        let context = InvariantContext(source: .kernel)
        #expect(Self.applicable(trace, context) == ["stream-integrity", "reliable-delivery", "ack-numbers",
                                                    "no-data-after-fin", "udp-delivery", "isn-distinct"])
        #expect(Self.skipped(trace, context) == [
            "state-machine": ["state changes"],
            "handshake": ["state changes"],
            "flight-within-window": ["timers", "congestion window"],
            "rto-backoff": ["timers"],
            "time-wait": ["state changes", "timers"],
            "rst-closes": ["state changes"],
            "unacceptable-segment-acked": ["state changes"],
            "checksum-drop": ["checksums"],
            "fast-retransmit": ["state changes", "timers"],
            "sack-lost-first": ["state changes", "timers"],
            "determinism": ["a scenario to run again"],
        ])
        // Linux's parameters: RTO at most 120 s, MSL 30 s; a trace alone does not say the run quiesced.
        #expect(context.maximumRTO == 120_000_000_000)
        #expect(context.msl == 30_000_000_000)
        #expect(!context.quiesced)
    }

    @Test("a simulated trace of any profile records everything: all apply but determinism, which needs a rerun",
          arguments: StackProfile.allCases)
    func simulated(profile: StackProfile) {
        let trace = Self.trace(profile: profile.rawValue)
        #expect(trace.header.source == .simulation(profile))
        #expect(TraceAnalysis(trace).features == Set(TraceFeature.allCases))
        let context = InvariantContext(source: trace.header.source)
        #expect(Self.skipped(trace, context) == ["determinism": ["a scenario to run again"]])
        var rerunnable = context
        rerunnable.rerun = { trace }
        #expect(Self.skipped(trace, rerunnable).isEmpty)
        #expect(Self.applicable(trace, rerunnable) == Invariant.names)
    }

    @Test("determinism needs nothing from the trace, only a rerun: with one it applies even to a capture")
    func determinismNeedsRerun() throws {
        let determinism = try #require(Invariant.named("determinism"))
        #expect(determinism.needs.isEmpty)
        let capture = Self.trace(profile: "capture")
        let analysis = TraceAnalysis(capture)
        var context = InvariantContext(source: .capture)
        #expect(!determinism.applies(to: analysis, in: context))
        #expect(determinism.missing(from: analysis, in: context) == ["a scenario to run again"])
        context.rerun = { capture }
        #expect(determinism.applies(to: analysis, in: context))
        #expect(determinism.missing(from: analysis, in: context).isEmpty)
        #expect(determinism.check(analysis, context) == nil)
    }

    @Test("the invariants that apply to a capture hold on the healthy connection read as one")
    func captureOfHealthyConnection() {
        // What a capture would hold: every packet once, as sent, and nothing else.
        let full = TraceBuilder.healthyConnection()
        let packets = full.events.filter { if case .packetSent = $0.kind { true } else { false } }
        var capture = Trace(header: full.header, events: packets)
        capture.header.profile = "capture"
        #expect(violations(in: capture, context: InvariantContext(source: .capture)).isEmpty)
    }
}
