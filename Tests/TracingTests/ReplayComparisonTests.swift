import Apps
import Testing
import Tracing
import Wire

/// The replay comparison, pure: golden traces against hand-edited copies, and hand-made
/// conversations that exercise each equivalence and each kind of difference.
@Suite("Replay comparison")
struct ReplayComparisonTests {
    static func ports(_ scenario: String) -> ReplayPortMap {
        ReplayPortMap.scenarioPorts(of: BuiltInScenarios.scenario(named: scenario)!)
    }

    // MARK: - Golden traces, edited

    @Test(arguments: BuiltInScenarios.names)
    func everyGoldenTraceMatchesItself(_ name: String) throws {
        let trace = try goldenTrace(name)
        let result = compare(trace, trace, ports: Self.ports(name))
        #expect(result.verdict == .match, "\(name): \(result.firstDifference?.reason ?? "")")
        #expect(result.equivalences.isEmpty)
    }

    @Test func droppingTheHandshakesFinalACKIsAMismatchAtThatSegment() throws {
        let golden = try goldenTrace("handshake")
        var edited = golden
        let sends = golden.events.indices.filter { if case .packetSent = golden.events[$0].kind { true } else { false } }
        #expect(sends.count == 3)
        guard case .packetSent(let ack, _) = golden.events[sends[2]].kind else { return }
        #expect(tcpFlags(ack) == .ack)
        edited.events.removeAll { event in
            switch event.kind {
            case .packetSent(let bytes, _), .packetReceived(let bytes): bytes == ack
            default: false
            }
        }
        let result = compare(golden, edited, ports: Self.ports("handshake"))
        #expect(result.verdict == .mismatch)
        let difference = try #require(result.firstDifference)
        #expect(difference.connection?.description == "client>server:80")
        #expect(difference.direction == .forward)
        #expect(difference.simulated?.label == "ACK 1 ack 1")
        #expect(difference.simulated?.index == 1)
        #expect(difference.kernel == nil)
        // The same ACK missing before the FIN of a teardown is not excused by the FIN's ACK either:
        // the handshake's ACK is never set aside.
        let teardown = try goldenTrace("teardown-client-first")
        var cut = teardown
        let third = teardown.events.filter { if case .packetSent = $0.kind { true } else { false } }[2]
        cut.events.removeAll { $0 == third }
        let second = compare(teardown, cut, ports: Self.ports("teardown-client-first"))
        #expect(second.verdict == .mismatch)
        #expect(second.firstDifference?.simulated?.label == "ACK 1 ack 1")
        #expect(second.firstDifference?.kernel?.label == "FIN 1 ack 1")
    }

    @Test func swappingTheOrderOfTheTwoFINsIsAMismatchAtTheFirstFIN() throws {
        let golden = try goldenTrace("teardown-client-first")
        var edited = golden
        let fins = golden.events.indices.filter { index in
            guard case .packetSent(let bytes, _) = golden.events[index].kind else { return false }
            return tcpFlags(bytes)?.contains(.fin) ?? false
        }
        #expect(fins.count == 2)
        // The server's FIN now leaves where the client's did, and the client's where the server's did.
        edited.events[fins[0]].kind = golden.events[fins[1]].kind
        edited.events[fins[0]].node = golden.events[fins[1]].node
        edited.events[fins[1]].kind = golden.events[fins[0]].kind
        edited.events[fins[1]].node = golden.events[fins[0]].node
        let result = compare(golden, edited, ports: Self.ports("teardown-client-first"))
        #expect(result.verdict == .mismatch)
        let difference = try #require(result.firstDifference)
        #expect(difference.reason.contains("the first FIN comes from client on the simulated side but from server:80"))
        #expect(difference.simulated?.label == "FIN 1 ack 1")
        #expect(difference.simulated?.direction == .forward)
        #expect(difference.kernel?.label == "FIN 1 ack 2")
        #expect(difference.kernel?.direction == .backward)
        // The row of the kernel's out-of-order FIN is the one marked.
        let rows = result.connections[0].rows.filter { $0.status == .different }
        #expect(!rows.isEmpty)
    }

    @Test func aThreeSegmentTeardownIsFinACKPiggyback() throws {
        let golden = try goldenTrace("teardown-client-first")
        var edited = golden
        // Remove the server's pure ACK of the client's FIN: its FIN then carries that ACK.
        let ack = golden.events.first { event in
            guard event.node == "server", case .packetSent(let bytes, _) = event.kind else { return false }
            return tcpFlags(bytes) == .ack
        }
        edited.events.removeAll { $0 == ack }
        let result = compare(golden, edited, ports: Self.ports("teardown-client-first"))
        #expect(result.verdict == .matchWithEquivalences, "\(result.firstDifference?.reason ?? "")")
        #expect(result.equivalences.map(\.equivalence) == [.finACKPiggyback])
        let applied = try #require(result.equivalences.first)
        #expect(applied.direction == .backward)
        #expect(applied.simulatedSegment == 1)
        #expect(applied.kernelSegment == nil)
        #expect(applied.whereText == "client>server:80 from server:80: simulated #1")
    }

    @Test func theLinuxProfileHasNoFinACKPiggyback() throws {
        let golden = try goldenTrace("teardown-client-first")
        var edited = golden
        let ack = golden.events.first { event in
            guard event.node == "server", case .packetSent(let bytes, _) = event.kind else { return false }
            return tcpFlags(bytes) == .ack
        }
        edited.events.removeAll { $0 == ack }
        // The linux profile delays the FIN's ACK as Linux does: a lone ACK the kernel did not send differs.
        let linux = ReplayEquivalence.allowed(for: .linux)
        #expect(!linux.contains(.finACKPiggyback))
        #expect(ReplayEquivalence.allowed(for: .textbook) == Set(ReplayEquivalence.allCases))
        let result = compare(golden, edited, ports: Self.ports("teardown-client-first"), allowed: linux)
        #expect(result.verdict == .mismatch)
        let difference = try #require(result.firstDifference)
        #expect(difference.simulated?.label == "ACK 1 ack 2")
        #expect(difference.kernel?.label == "FIN 1 ack 2")
        #expect(result.equivalences.allSatisfy { linux.contains($0.equivalence) })
        // The kernel's own lone ACK of a FIN (its application closed late) is still excused.
        let late = compare(edited, golden, ports: Self.ports("teardown-client-first"), allowed: linux)
        #expect(late.verdict == .matchWithEquivalences, "\(late.firstDifference?.reason ?? "")")
        #expect(late.equivalences.map(\.equivalence) == [.finACKPiggyback])
        #expect(late.equivalences.first?.simulatedSegment == nil && late.equivalences.first?.kernelSegment == 1)
    }

    // MARK: - Equivalences on hand-made conversations

    /// Client sends 3000 bytes and closes; server acknowledges and closes.
    static func transfer(segments: [Int], acks: [UInt32], finWithData: Bool, window: UInt16 = 65535,
                         extraWindowUpdate: Bool = false, resend: Bool = false) -> Trace {
        var c = Conversation()
        c.handshake()
        var seq: UInt32 = 1
        for (i, size) in segments.enumerated() {
            let last = i == segments.count - 1
            c.send(.client, last && finWithData ? [.fin, .psh] : [], seq: seq, ack: 1, length: size, window: window)
            if resend && i == 0 { c.send(.client, [], seq: seq, ack: 1, length: size, window: window) }
            seq += UInt32(size)
        }
        if !finWithData { c.send(.client, [.fin], seq: seq, ack: 1, window: window) }
        for ack in acks { c.send(.server, [], seq: 1, ack: ack, window: window) }
        if extraWindowUpdate { c.send(.server, [], seq: 1, ack: acks.last!, window: window) }
        c.send(.server, [.fin], seq: 1, ack: 3002, window: window)
        c.send(.client, [], seq: 3002, ack: 2, window: window)
        c.state(.client, .finWait2, .timeWait)
        return c.trace
    }

    @Test func sameBytesCutDifferentlyAreSegmentationAndFewerACKsAreACKCoalescing() {
        let simulated = Self.transfer(segments: [1460, 1460, 80], acks: [1461, 2921, 3002], finWithData: true)
        let kernel = Self.transfer(segments: [3000], acks: [3002], finWithData: false)
        let result = compare(simulated, kernel)
        #expect(result.verdict == .matchWithEquivalences, "\(result.firstDifference?.reason ?? "")")
        #expect(result.equivalenceNames == [.segmentation, .ackCoalescing])
        let segmentation = result.equivalences.first { $0.equivalence == .segmentation }
        #expect(segmentation?.direction == .forward)
        #expect(segmentation?.simulatedSegment == 2)
        #expect(segmentation?.kernelSegment == 2)
        let coalescing = result.equivalences.first { $0.equivalence == .ackCoalescing }
        #expect(coalescing?.count == 2)
        #expect(coalescing?.direction == .backward)
        // One row for the run, both sides.
        let run = result.connections[0].rows.first { $0.status == .equivalent(.segmentation) }
        #expect(run?.simulated.count == 3)
        #expect(run?.kernel.count == 2)
    }

    @Test func bytesThatDoNotLineUpAreAMismatch() {
        let simulated = Self.transfer(segments: [1460, 1460, 80], acks: [3002], finWithData: true)
        let kernel = Self.transfer(segments: [1460, 1000], acks: [3002], finWithData: false)
        let result = compare(simulated, kernel)
        #expect(result.verdict == .mismatch)
        #expect(result.firstDifference?.direction == .forward)
    }

    @Test func anExtraPureACKWithTheSameNumberIsAWindowUpdate() {
        let simulated = Self.transfer(segments: [3000], acks: [3002], finWithData: false)
        let kernel = Self.transfer(segments: [3000], acks: [3002], finWithData: false, extraWindowUpdate: true)
        let result = compare(simulated, kernel)
        #expect(result.equivalenceNames == [.windowUpdate], "\(result.firstDifference?.reason ?? "")")
        #expect(result.equivalences.first?.kernelSegment == 2)
    }

    @Test func bytesSentTwiceAreARetransmission() {
        let simulated = Self.transfer(segments: [1000, 2000], acks: [3002], finWithData: false)
        let kernel = Self.transfer(segments: [1000, 2000], acks: [3002], finWithData: false, resend: true)
        let result = compare(simulated, kernel)
        #expect(result.equivalenceNames == [.retransmission], "\(result.firstDifference?.reason ?? "")")
        #expect(result.equivalences.first?.kernelSegment == 3)
        // The linux profile sends the kernel's tail loss probe itself: a copy only one side sent differs.
        #expect(compare(simulated, kernel, allowed: ReplayEquivalence.allowed(for: .linux)).verdict == .mismatch)
    }

    @Test func windowsAndOptionsAreComparedOnlyWhenStrict() {
        var simulated = Conversation()
        simulated.handshake(options: [.maximumSegmentSize(1460)])
        var kernel = Conversation()
        kernel.handshake(options: [.maximumSegmentSize(65495), .sackPermitted, .timestamps(value: 7, echoReply: 0),
                                   .noOperation, .windowScale(7)], window: 512)
        let loose = compare(simulated.trace, kernel.trace)
        #expect(loose.verdict == .matchWithEquivalences)
        #expect(loose.equivalenceNames == [.timestampsAndOptions])
        // Named in the margin on each direction's first row only.
        #expect(loose.connections[0].rows.filter { $0.equivalences.contains(.timestampsAndOptions) }.count == 2)
        let strict = compare(simulated.trace, kernel.trace, strict: true)
        #expect(strict.verdict == .mismatch)
        #expect(strict.firstDifference?.reason.contains("--strict") == true)
        #expect(strict.firstDifference?.simulated?.label == "SYN 0")
        // Timestamp values are clocks: strict compares only that the option is there.
        var a = Conversation(), b = Conversation()
        a.handshake(options: [.timestamps(value: 1, echoReply: 0)])
        b.handshake(options: [.timestamps(value: 99, echoReply: 0)])
        #expect(compare(a.trace, b.trace, strict: true).verdict == .match)
    }

    @Test func aPureACKRidingOnDataIsDelayedACKMerge() {
        // Echo: the server acknowledges the request alone, then answers; the kernel answers with the ACK on it.
        func echo(separateACK: Bool) -> Trace {
            var c = Conversation()
            c.handshake()
            c.send(.client, [.psh], seq: 1, ack: 1, length: 100)
            if separateACK { c.send(.server, [], seq: 1, ack: 101) }
            c.send(.server, [.psh], seq: 1, ack: 101, length: 100)
            c.send(.client, [], seq: 101, ack: 101)
            return c.trace
        }
        let result = compare(echo(separateACK: true), echo(separateACK: false))
        #expect(result.equivalenceNames == [.delayedACKMerge], "\(result.firstDifference?.reason ?? "")")
        #expect(result.equivalences.first?.simulatedSegment == 1)
    }

    @Test func crossingFINsAgainstASerialisedCloseIsCloseRace() {
        var simulated = Conversation()
        simulated.handshake()
        simulated.send(.client, [.fin], seq: 1, ack: 1)
        simulated.send(.server, [.fin], seq: 1, ack: 1)
        simulated.send(.server, [], seq: 2, ack: 2)
        simulated.send(.client, [], seq: 2, ack: 2)
        simulated.state(.client, .closing, .timeWait)
        simulated.state(.server, .closing, .timeWait)
        // On the kernel the server's close came first and the client's FIN carried its ACK.
        var kernel = Conversation()
        kernel.handshake()
        kernel.send(.server, [.fin], seq: 1, ack: 1)
        kernel.send(.client, [.fin], seq: 1, ack: 2)
        kernel.send(.server, [], seq: 2, ack: 2)
        kernel.state(.server, .finWait2, .timeWait)
        let result = compare(simulated.trace, kernel.trace)
        #expect(result.verdict == .matchWithEquivalences, "\(result.firstDifference?.reason ?? "")")
        #expect(result.equivalenceNames == [.closeRace])
        #expect(result.connections[0].finsCrossed)
        #expect(result.connections[0].simulatedTimeWait?.holders.map(\.description) == ["client", "server:80"])
        #expect(result.connections[0].kernelTimeWait?.holders.map(\.description) == ["server:80"])
        #expect(result.connections[0].kernelTimeWait?.passes == true)
        // Without crossing FINs on the simulated side, the same kernel trace is a mismatch.
        var ordinary = Conversation()
        ordinary.handshake()
        ordinary.send(.client, [.fin], seq: 1, ack: 1)
        ordinary.send(.server, [.fin], seq: 1, ack: 2)
        ordinary.send(.client, [], seq: 2, ack: 2)
        ordinary.state(.client, .finWait2, .timeWait)
        #expect(compare(ordinary.trace, kernel.trace).verdict == .mismatch)
    }

    @Test func anAbortsResetWithOrWithoutACKIsRSTACK() {
        func abort(ack: Bool) -> Trace {
            var c = Conversation()
            c.handshake()
            c.send(.client, [.rst], seq: 1, ack: ack ? 1 : nil)
            return c.trace
        }
        let result = compare(abort(ack: false), abort(ack: true))
        #expect(result.equivalenceNames == [.rstACK], "\(result.firstDifference?.reason ?? "")")
        #expect(result.equivalences.first?.simulatedSegment == 2)
        // A reset at another sequence number is not the same reset.
        var other = Conversation()
        other.handshake()
        other.send(.client, [.rst], seq: 7, ack: 1)
        #expect(compare(abort(ack: false), other.trace).verdict == .mismatch)
        // The linux profile sends RST,ACK itself: for it a bare RST is a difference.
        let linux = ReplayEquivalence.allowed(for: .linux)
        #expect(compare(abort(ack: false), abort(ack: true), allowed: linux).verdict == .mismatch)
        #expect(compare(abort(ack: true), abort(ack: true), allowed: linux).verdict == .match)
    }

    // MARK: - Ports, TIME-WAIT, sockets

    @Test func portsAreComparedThroughTheScenariosNames() {
        var simulated = Conversation()
        simulated.handshake()
        var kernel = Conversation(clientPort: 52583, serverPort: 34783, clientISN: 9, serverISN: 4_000_000_000)
        kernel.handshake()
        let moved = ReplayPortMap([ReplayPortMap.Entry(host: "server", transport: .tcp, scenarioPort: 80, actualPort: 34783)])
        let result = compare(simulated.trace, kernel.trace, kernelPorts: moved)
        #expect(result.verdict == .match)
        #expect(result.connections.count == 1)
        #expect(result.connections[0].key.description == "client>server:80")
        #expect(result.connections[0].simulatedName == "client:49152>server:80")
        #expect(result.connections[0].kernelName == "client:52583>server:34783")
        // Without the mapping they are different connections.
        let unmapped = compare(simulated.trace, kernel.trace, kernelPorts: ReplayPortMap([]))
        #expect(unmapped.verdict == .mismatch)
        #expect(unmapped.firstDifference?.reason.contains("the simulator has a connection client>server:80") == true)
    }

    @Test func theEndThatClosedFirstMustHoldTimeWait() {
        var simulated = Conversation()
        simulated.handshake()
        simulated.send(.client, [.fin], seq: 1, ack: 1)
        simulated.send(.server, [.fin], seq: 1, ack: 2)
        simulated.send(.client, [], seq: 2, ack: 2)
        var kernel = simulated
        simulated.state(.client, .finWait2, .timeWait)
        kernel.state(.server, .lastAck, .timeWait)   // the passive closer
        let result = compare(simulated.trace, kernel.trace)
        #expect(result.verdict == .mismatch)
        #expect(result.firstDifference?.reason.hasPrefix("TIME-WAIT on the kernel side") == true)
        let finding = result.connections[0].kernelTimeWait
        #expect(finding?.firstCloser?.description == "client")
        #expect(finding?.passes == false)
        #expect(result.connections[0].simulatedTimeWait?.passes == true)
    }

    @Test func withoutPacketsTheSocketsAreCompared() {
        func run(received: Int, end: Bool) -> Trace {
            var c = Conversation()
            c.event(.client, .open(remote: "server:80"))
            c.call(.client, .send(bytes: 500))
            c.call(.client, .shutdownWrite)
            c.event(.server, .message(bytes: received, intact: true))
            if end { c.event(.server, .end) }
            c.call(.server, .close)
            c.event(.server, .close)
            c.state(.server, .established, .closed)
            c.state(.client, .finWait2, .timeWait)
            return c.trace
        }
        let sockets = { (simulated: Trace, kernel: Trace) in
            TraceComparison.compare(simulated: ComparedTrace(trace: simulated, ports: serverPort80),
                                    kernel: ComparedTrace(trace: kernel, ports: serverPort80, hasPackets: false))
        }
        let same = sockets(run(received: 500, end: true), run(received: 500, end: true))
        #expect(same.verdict == .match)
        #expect(!same.packetsCompared)
        let fewer = sockets(run(received: 500, end: true), run(received: 300, end: true))
        #expect(fewer.verdict == .mismatch)
        #expect(fewer.socketDifferences.map(\.reason) == ["server:80 (client>server:80): received 500 bytes on the simulator, 300 on the kernel"])
        let noEnd = sockets(run(received: 500, end: true), run(received: 500, end: false))
        #expect(noEnd.firstDifference?.reason.contains("onend") == true)
        #expect(noEnd.firstDifference?.socket?.description == "server:80")
    }

    // MARK: - The plan

    @Test func faultsTheKernelCannotReproduceAreNamed() throws {
        let reasons = { (name: String) in ReplayPlan.obstacles(of: BuiltInScenarios.scenario(named: name)!) }
        #expect(reasons("syn-lost") == ["a partition (cable unplugged 0 s..2 s)"])
        #expect(reasons("udp-lossy") == ["random loss (10%)", "reordering (10%)"])
        #expect(reasons("tcp-vs-udp") == ["random loss (10%)"])
        for name in ["handshake", "half-close", "many-clients", "udp-echo", "simultaneous-open"] {
            #expect(reasons(name).isEmpty, "\(name)")
        }
        let scenario = try ScenarioLanguage.parse("""
            scenario faults
            hosts a b
            link corrupt 1% duplicate 2% bandwidth 10mbit
            link drop 3 5
            at 0 b listen 80
            at 1s link down
            """, file: "faults.scn")
        #expect(ReplayPlan.obstacles(of: scenario) == [
            "corruption (1%)", "duplication (2%)", "a bandwidth limit (10000000 bit/s)", "scripted drops (packet 3, 5)",
            "link down/up steps",
        ])
    }

    @Test func simultaneousOpenIsAKernelRaceAndTheLinkBecomesLoopbackLike() throws {
        #expect(ReplayPlan.kernelRace(in: BuiltInScenarios.scenario(named: "simultaneous-open")!)?
            .hasPrefix("simultaneous open: client and server connect to each other at once") == true)
        #expect(ReplayPlan.kernelRace(in: BuiltInScenarios.scenario(named: "handshake")!) == nil)
        let replayed = ReplayPlan.loopbackLike(BuiltInScenarios.scenario(named: "udp-lossy")!)
        #expect(replayed.link.loopback)
        #expect(replayed.link.rtt == 0)
        #expect(replayed.link.jitter == 0)
        #expect(replayed.link.mtu == 65535)
    }
}
