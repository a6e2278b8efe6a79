import Tracing

/// One generated test case: a profile, link conditions and a workload over one or more
/// connections (and optionally a UDP exchange). `scenario` turns it into a runnable scenario,
/// so a counterexample prints in the scenario language and `stacklab run` reproduces it.
public struct CheckCase: Hashable, Sendable {
    /// The simulation's seed (link faults, jitter, ISNs).
    public var seed: UInt64
    public var profile: StackProfile
    public var link: LinkSpec
    /// When the client opens each connection (ns). Every connection runs the same two scripts.
    public var connects: [Int64]
    /// What the client does after each of its connections opens.
    public var clientScript: [ScriptStep]
    /// What the server does after accepting each connection.
    public var serverScript: [ScriptStep]
    /// Whether each side closes when its peer has finished sending.
    public var clientClosesOnPeerFinish: Bool
    public var serverClosesOnPeerFinish: Bool
    public var datagrams: DatagramLoad?

    /// One step of a side's script: after `delay` ns, do `action` on the connection.
    public struct ScriptStep: Hashable, Sendable {
        public var delay: Int64
        public var action: Action
        public init(delay: Int64, action: Action) {
            self.delay = delay
            self.action = action
        }
    }

    public enum Action: Hashable, Sendable {
        case send(Int)
        case shutdownWrite
        case close
        case abort
        case pauseReading(Bool)
    }

    /// The client sends `count` datagrams of `size` bytes to the server's UDP port, from `start`.
    public struct DatagramLoad: Hashable, Sendable {
        public var start: Int64
        public var count: Int
        public var size: Int
        public var interval: Int64
        public var echo: Bool
    }

    public static let serverPort: UInt16 = 80
    public static let udpPort: UInt16 = 7
    /// Long enough for every retry to give up (12 RTO backoffs) and for TIME-WAIT (2×30 s) to end.
    public static let timeLimit: Int64 = 1_200 * 1_000_000_000

    public init(seed: UInt64, profile: StackProfile, link: LinkSpec, connects: [Int64], clientScript: [ScriptStep],
                serverScript: [ScriptStep], clientClosesOnPeerFinish: Bool, serverClosesOnPeerFinish: Bool,
                datagrams: DatagramLoad?) {
        self.seed = seed
        self.profile = profile
        self.link = link
        self.connects = connects
        self.clientScript = clientScript
        self.serverScript = serverScript
        self.clientClosesOnPeerFinish = clientClosesOnPeerFinish
        self.serverClosesOnPeerFinish = serverClosesOnPeerFinish
        self.datagrams = datagrams
    }

    /// The case as a scenario: hosts `client` and `server`, one link.
    public var scenario: Scenario {
        var steps: [ScenarioStep] = []
        if !connects.isEmpty {
            steps.append(ScenarioStep(.at(0), "server", .listen(port: Self.serverPort, backlog: 8, echo: false)))
        }
        if let datagrams {
            steps.append(ScenarioStep(.at(0), "server", .bindUDP(port: Self.udpPort, echo: datagrams.echo)))
            steps.append(ScenarioStep(.at(datagrams.start), "client", .sendDatagrams(
                host: "server", port: Self.udpPort, count: datagrams.count, size: datagrams.size,
                interval: datagrams.interval)))
        }
        for time in connects {
            steps.append(ScenarioStep(.at(time), "client", .connect(host: "server", port: Self.serverPort, localPort: 0)))
        }
        func operation(_ action: Action) -> ScenarioOperation {
            switch action {
            case .send(let count): .send(count: count)
            case .shutdownWrite: .shutdownWrite
            case .close: .close
            case .abort: .abort
            case .pauseReading(let paused): .pauseReading(paused)
            }
        }
        for step in clientScript {
            steps.append(ScenarioStep(.on(.connected, delay: step.delay), "client", operation(step.action)))
        }
        for step in serverScript {
            steps.append(ScenarioStep(.on(.accepted, delay: step.delay), "server", operation(step.action)))
        }
        if clientClosesOnPeerFinish { steps.append(ScenarioStep(.on(.peerFinished, delay: 0), "client", .close)) }
        if serverClosesOnPeerFinish { steps.append(ScenarioStep(.on(.peerFinished, delay: 0), "server", .close)) }
        return Scenario(name: "check-\(seed)", summary: "a generated check case", seed: seed, profile: profile,
                        hosts: ["client", "server"], link: link, steps: steps, timeLimit: Self.timeLimit)
    }
}

/// The generators of cases and their parts.
public enum CaseGenerators {
    static let millisecond: Int64 = 1_000_000

    /// Stack profiles (`small-buffer` has a three-segment window); shrinks toward `textbook`.
    public static let profile = Gen<StackProfile>.frequency([
        (3, .constant(.textbook)), (1, .constant(.linux)), (1, .constant(.smallBuffer)),
    ])

    /// Link conditions: RTT, jitter, bandwidth, loss, duplication, reordering, corruption, and
    /// partitions (short ones are loss bursts: the scenario's link has no Gilbert–Elliott switch).
    public static let link: Gen<LinkSpec> = Gen { source in
        let rtt = Gen.int64(in: 1...200).run(&source) * millisecond
        let jitter = Gen.frequency([(3, .constant(0)), (1, .int64(in: 0...(rtt / 2)))]).run(&source)
        let bandwidth = Gen.frequency([(3, .constant(0)), (1, .int64(in: 1_000_000...100_000_000))]).run(&source)
        let loss = Gen.frequency([(4, .constant(0)), (4, skewed(1...200_000))]).run(&source)
        let duplicate = Gen.frequency([(3, .constant(0)), (1, skewed(1...50_000))]).run(&source)
        let reorder = Gen.frequency([(3, .constant(0)), (1, skewed(1...100_000))]).run(&source)
        let corrupt = Gen.frequency([(4, .constant(0)), (1, skewed(1...30_000))]).run(&source)
        let partitions = partition.array(count: 0...2).run(&source)
            .sorted { ($0.from, $0.to) < ($1.from, $1.to) }
        // Single chosen packets lost: the smallest way to lose exactly one segment, so shrinking
        // can trade random loss for one drop.
        let drops = Gen.frequency([(3, .constant([])), (1, Gen.int(in: 1...60).array(count: 1...2))]).run(&source)
        return LinkSpec(rtt: rtt, jitter: jitter, bandwidth: bandwidth, lossPPM: loss, duplicatePPM: duplicate,
                        reorderPPM: reorder, corruptPPM: corrupt, mtu: 1500, partitions: partitions,
                        drops: Array(Set(drops)).sorted())
    }

    /// A loss burst or an outage (up to 8 s, mostly short) starting in the first 3 s; microsecond grain.
    public static let partition: Gen<TimeSpan> = Gen { source in
        let from = Int64(Gen.int(in: 0...3_000_000).run(&source)) * 1_000
        let length = Int64(skewed(1...8_000_000).run(&source)) * 1_000
        return TimeSpan(from: from, to: from + length)
    }

    /// Bytes handed to one `send`: mostly small, sometimes more than a window.
    public static let sendSize = skewed(1...150_000)

    /// An integer in `range`, mostly near the lower bound (u⁴ of a uniform u), and monotone in its one
    /// choice: shrinking that choice by binary search finds the smallest failing value.
    public static func skewed(_ range: ClosedRange<Int>) -> Gen<Int> {
        Gen { source in
            let u = Double(source.draw(upTo: 1_000_000)) / 1_000_000
            let span = Double(range.upperBound - range.lowerBound)
            return range.lowerBound + Int((u * u * u * u * span).rounded(.down))
        }
    }

    public static let action: Gen<CheckCase.Action> = .frequency([
        (8, sendSize.map { .send($0) }),
        (2, .constant(.shutdownWrite)),
        (2, .constant(.close)),
        (1, .constant(.abort)),
        (1, Gen.bool.map { .pauseReading(!$0) }),
    ])

    public static let scriptStep: Gen<CheckCase.ScriptStep> = Gen { source in
        let delay = Gen.frequency([(1, .constant(0)), (3, .int64(in: 0...3_000))]).run(&source) * millisecond
        return CheckCase.ScriptStep(delay: delay, action: action.run(&source))
    }

    public static let datagrams: Gen<CheckCase.DatagramLoad> = Gen { source in
        CheckCase.DatagramLoad(
            start: Gen.int64(in: 0...1_000).run(&source) * millisecond,
            count: Gen.int(in: 1...10).run(&source),
            size: Gen.int(in: 4...1_400).run(&source),
            interval: Gen.int64(in: 0...100).run(&source) * millisecond,
            echo: Gen.bool.run(&source))
    }

    /// A whole case. Shrinks toward one connection, empty scripts, a clean link and the textbook profile.
    public static let checkCase: Gen<CheckCase> = Gen { source in
        let seed = source.draw(upTo: UInt64(UInt32.max))
        let profile = profile.run(&source)
        let link = link.run(&source)
        let connects = Gen.int64(in: 0...500).map { $0 * millisecond }.array(count: 1...3).run(&source)
        let client = scriptStep.array(count: 0...4).run(&source)
        let server = scriptStep.array(count: 0...4).run(&source)
        let clientCloses = Gen.bool.run(&source)
        let serverCloses = Gen.bool.run(&source)
        let datagrams = Gen.frequency([(4, .constant(nil)), (1, datagrams.map { Optional($0) })]).run(&source)
        return CheckCase(seed: seed, profile: profile, link: link, connects: connects.sorted(), clientScript: client,
                         serverScript: server, clientClosesOnPeerFinish: clientCloses,
                         serverClosesOnPeerFinish: serverCloses, datagrams: datagrams)
    }
}
