@testable import Stack
import Runs
import Simulation
import Testing
import Tracing
import Wire

/// The linux profile's delayed ACK (`TCPLinuxACK`), against what Linux 6.x does on loopback:
/// quick ACKs at the start, ping-pong in request/response, the ACK of a FIN riding on the FIN of an
/// application that closes on end-of-file, a lone ACK of a FIN after the delayed-ACK wait.
@Suite("Linux delayed ACK")
struct LinuxDelayedACKTests {
    static func run(_ text: String) throws -> Run {
        SimulatedRuntime().run(try ScenarioLanguage.parse(text, file: "linux-ack.scn"))
    }

    /// The segments after the handshake, as (time, node, flags, payload length, ack).
    static func segments(_ run: Run) -> [(time: Int64, node: String, flags: TCPFlags, length: Int, ack: UInt32)] {
        run.segmentsSent().dropFirst(3).map { traced in
            (traced.time, traced.node, traced.segment.header.flags.subtracting(.psh), traced.segment.payload.count,
             traced.segment.header.acknowledgmentNumber.rawValue)
        }
    }

    static func teardown(profile: String, serverCloses: String, data: Bool = false) -> String {
        """
        scenario teardown
        profile \(profile)
        hosts client server
        link rtt 1ms
        at 0 server listen 80
        at 0 client connect server:80
        \(data ? "at 5ms client send 1000" : "")
        at 10ms client close
        \(serverCloses) server close
        """
    }

    @Test func aCloseOnEndOfFileSendsFINACKThreeSegments() throws {
        let linux = Self.segments(try Self.run(Self.teardown(profile: "linux", serverCloses: "on peer-finished")))
        #expect(linux.map(\.flags) == [[.fin, .ack], [.fin, .ack], .ack])
        #expect(linux.map(\.node) == ["client", "server", "client"])
        // The textbook acknowledges the FIN at once: four segments.
        let textbook = Self.segments(try Self.run(Self.teardown(profile: "textbook", serverCloses: "on peer-finished")))
        #expect(textbook.map(\.flags) == [[.fin, .ack], .ack, [.fin, .ack], .ack])
    }

    @Test func aLateCloseGetsALoneACKAfterOneTickBeforeAnyData() throws {
        let text = Self.teardown(profile: "linux", serverCloses: "on peer-finished+300ms")
        let segments = Self.segments(try Self.run(text))
        #expect(segments.map(\.flags) == [[.fin, .ack], .ack, [.fin, .ack], .ack])
        let fin = try #require(segments.first), ack = segments[1]
        // No data yet: the ato is 0 and the timer fires at the next tick (4 ms at HZ=250).
        #expect(ack.time - (fin.time + 500_000) == TCPLinuxACK.tick.nanoseconds)
    }

    @Test func aLateCloseAfterDataGetsALoneACKAfterTheATO() throws {
        let run = try Self.run(Self.teardown(profile: "linux", serverCloses: "on peer-finished+300ms", data: true))
        let segments = Self.segments(run).filter { $0.length == 0 }
        // The first data was acknowledged at once (quick-ACK mode); the FIN's ACK waits 40 ms.
        let fin = try #require(segments.first { $0.flags.contains(.fin) })
        let ack = try #require(segments.first { $0.node == "server" && $0.time > fin.time && $0.flags == .ack })
        #expect(ack.time - (fin.time + 500_000) == 40 * millisecond)
    }

    static func exchange(_ profile: String) -> String { """
        scenario exchange
        profile \(profile)
        hosts client server
        link rtt 1ms
        at 0 server listen 80
        at 0 client connect server:80
        at 10ms client send 100
        at 11ms server send 1000
        at 30ms client send 100
        at 31ms server send 1000
        at 50ms client send 100
        at 51ms server send 1000
        at 70ms client close
        on peer-finished server close
        """
    }

    @Test func pingPongLetsTheAnswerCarryTheACK() throws {
        let run = try Self.run(Self.exchange("linux"))
        let pureACKs = Self.segments(run).filter { $0.length == 0 && $0.flags == .ack }
        // Only the first request and the first response are acknowledged alone (quick-ACK mode), and
        // the last segment of the 3-segment teardown.
        #expect(pureACKs.map(\.node) == ["server", "client", "client"])
        // Every response acknowledges the request it answers.
        let segments = Self.segments(run)
        for (index, response) in segments.enumerated() where response.node == "server" && response.length > 0 {
            let request = try #require(segments[..<index].last { $0.node == "client" && $0.length > 0 })
            let requestEnd = run.segmentsSent(by: "client").first {
                $0.time == request.time && $0.segment.payload.count > 0
            }
            #expect(response.ack == requestEnd.map { $0.segment.header.sequenceNumber.rawValue &+ 100 })
        }
        let textbook = try Self.run(Self.exchange("textbook"))
        #expect(Self.segments(textbook).filter { $0.length == 0 && $0.flags == .ack }.count == 8)
    }

    @Test func linuxSetsPSHAtTheEndOfEachWrite() throws {
        func pushed(_ profile: String) throws -> [Int] {
            let run = try Self.run("""
                scenario writes
                profile \(profile)
                hosts client server
                at 0 server listen 80
                at 0 client connect server:80
                at 50ms client send 3000
                at 50ms client send 3000
                """)
            // Where each PSH segment ends, relative to the first data octet.
            let data = run.segmentsSent(by: "client").filter { !$0.segment.payload.isEmpty }
            let first = try #require(data.first).segment.header.sequenceNumber
            return data.filter { $0.segment.header.flags.contains(.psh) }.map {
                Int($0.segment.header.sequenceNumber - first) + $0.segment.payload.count
            }
        }
        // Linux (tcp_push): the segment that ends each write. Its Nagle is Minshall's, so the short
        // tail of the first write leaves behind two full segments in flight (the textbook's would
        // wait), and the second write's short tail waits for the ACK of that one.
        #expect(try pushed("linux") == [3000, 6000])
        // The textbook: only the segment that empties the send queue.
        #expect(try pushed("textbook") == [6000])
    }

    @Test func linuxPushesEveryHalfWindowAndEveryWindowProbe() throws {
        let run = try Self.run("""
            scenario big-write
            profile linux
            hosts client server
            link loopback
            at 0 server listen 80
            at 0 client connect server:80
            on accepted server pause-reading
            on accepted+1s server resume-reading
            at 10ms client send 150000
            """)
        let data = run.segmentsSent(by: "client").filter { !$0.segment.payload.isEmpty }
        let first = try #require(data.first).segment.header.sequenceNumber
        let pushed = data.filter { $0.segment.header.flags.contains(.psh) }.map {
            (start: Int($0.segment.header.sequenceNumber - first), end: Int($0.segment.header.sequenceNumber - first)
                + $0.segment.payload.count)
        }
        // The first write (64 KiB) goes as 32741 + 32741 + 54 octets against lo's 65483-octet window:
        // the second segment ends more than half that window past the last push (forced_push), the
        // third ends the write (tcp_push).
        #expect(pushed.prefix(2).map(\.end) == [65482, 65536])
        // With the window closing, the persist timer sends what the window allows, with PSH
        // (tcp_write_wakeup), though no write ends there.
        let probe = try #require(pushed.first { $0.start >= 65536 && $0.end % 65536 != 0 && $0.end != 150_000 })
        #expect(probe.end < 150_000)
    }

    @Test func aReaderThatStopsGetsATrueZeroWindowThenAWindowUpdate() throws {
        let run = try Self.run("""
            scenario reader-pauses
            profile linux
            hosts client server
            link rtt 1ms
            at 0 server listen 80
            at 0 client connect server:80
            on accepted server pause-reading
            at 10ms client send 300000
            at 1s server resume-reading
            """)
        let server = run.segmentsSent(by: "server").dropFirst()
        let zero = try #require(server.first { $0.segment.header.window == 0 },
                                "a zero window (Wireshark: TCP ZeroWindow)")
        #expect(zero.time < 1000 * millisecond)
        // The sender probes the zero window (RFC 9293 §3.8.6.1) until the reader resumes.
        let probes = run.segmentsSent(by: "client").filter {
            $0.time > zero.time && $0.time < 1000 * millisecond && $0.segment.payload.isEmpty
        }
        #expect(!probes.isEmpty)
        // Reading again opens the window: an update at 1 s, and the rest of the data follows.
        let update = try #require(server.first { $0.time >= 1000 * millisecond })
        #expect(update.time == 1000 * millisecond && update.segment.header.window > 0)
        #expect(run.sockets.streams.first { $0.host == "server" }?.bytesReceived == 300_000)
    }

    // MARK: The engine alone

    static func engine() -> TCPLinuxACK {
        TCPLinuxACK(atoMinimum: .milliseconds(40), maximumQuickACKs: 16, ourMSS: 65495)
    }

    @Test func theFirstDataStartsQuickACKModeBoundedByTheWindow() {
        var ack = Self.engine()
        #expect(ack.ato == .zero && !ack.inQuickACKMode)
        ack.dataReceived(length: 100, window: 65495, ourMSS: 65495, rto: .milliseconds(200), now: .zero)
        #expect(ack.quick == 16 && ack.ato == .milliseconds(40) && ack.inQuickACKMode)
        var small = Self.engine()
        small.dataReceived(length: 100, window: 1000, ourMSS: 65495, rto: .milliseconds(200), now: .zero)
        #expect(small.quick == 2)   // 1000 / (2 × 536) = 0, raised to 2
    }

    @Test func quickACKsAreSpentAndComeBackAfterIdle() {
        var ack = Self.engine()
        var now = VirtualTime.zero
        for _ in 0..<16 {
            ack.dataReceived(length: 100, window: 65495, ourMSS: 65495, rto: .milliseconds(200), now: now)
            #expect(ack.acknowledgesNow(unacknowledged: 100))
            ack.ackSent()
            now = now + .milliseconds(1)
        }
        ack.dataReceived(length: 100, window: 65495, ourMSS: 65495, rto: .milliseconds(200), now: now)
        #expect(!ack.acknowledgesNow(unacknowledged: 100), "quick ACKs spent: the ACK is delayed")
        ack.ackSent()
        // Idle longer than the RTO: quick-ACK mode again.
        ack.dataReceived(length: 100, window: 65495, ourMSS: 65495, rto: .milliseconds(200), now: now + .seconds(1))
        #expect(ack.acknowledgesNow(unacknowledged: 100))
    }

    @Test func anAnswerWithinTheATOEntersPingPongAndAMissedTimerLeavesIt() {
        var ack = Self.engine()
        ack.dataReceived(length: 100, window: 65495, ourMSS: 65495, rto: .milliseconds(200), now: .zero)
        ack.ackSent()
        ack.dataSent(now: VirtualTime.zero + .milliseconds(1))
        #expect(ack.inPingpongMode)
        ack.dataReceived(length: 100, window: 65495, ourMSS: 65495, rto: .milliseconds(200),
                         now: VirtualTime.zero + .milliseconds(20))
        #expect(!ack.acknowledgesNow(unacknowledged: 100), "interactive: wait for the answer")
        #expect(ack.delay(srtt: .microseconds(50)) == .milliseconds(40))
        ack.timerFired(rto: .milliseconds(200))
        #expect(!ack.inPingpongMode && ack.ato == .milliseconds(40))
        // Outside ping-pong a missed timer doubles the ato, up to the RTO.
        ack.timerFired(rto: .milliseconds(200))
        #expect(ack.ato == .milliseconds(80))
    }

    @Test func aFINEntersPingPongAndBeforeDataWaitsOneTick() {
        var ack = Self.engine()
        ack.finReceived()
        #expect(ack.scheduled && ack.inPingpongMode)
        #expect(ack.delay(srtt: nil) == TCPLinuxACK.tick)
    }

    @Test func theDelayNeverExceedsTheKernelMaximum() {
        var ack = Self.engine()
        ack.dataReceived(length: 100, window: 65495, ourMSS: 65495, rto: .seconds(1), now: .zero)
        for _ in 0..<6 { ack.timerFired(rto: .seconds(1)) }
        #expect(ack.ato == .seconds(1))
        #expect(ack.delay(srtt: nil) == TCPLinuxACK.delayMaximum)
        // RFC 1122 §4.2.3.2: "the delay MUST be less than 0.5 seconds".
        #expect(TCPLinuxACK.delayMaximum < .milliseconds(500))
    }
}
