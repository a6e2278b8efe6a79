import Runs
import Sockets
import Testing
import Tracing
import Wire

/// `nodelay` (TCP_NODELAY) and `quickack` (TCP_QUICKACK) in the scenario language and on the
/// simulated stack.
@Suite("Socket options")
struct SocketOptionTests {
    static func run(_ options: String, profile: String = "linux") throws -> Run {
        SimulatedRuntime().run(try ScenarioLanguage.parse("""
            scenario options
            profile \(profile)
            hosts client server
            link rtt 10ms
            at 0 server listen 80
            at 0 client connect server:80
            \(options)
            at 50ms client send 100
            at 51ms client send 100
            """, file: "options.scn"))
    }

    /// When the client's two 100-byte writes left, in milliseconds.
    static func dataTimes(_ run: Run) -> [Int64] {
        run.segmentsSent(by: "client").filter { !$0.segment.payload.isEmpty }.map { $0.time / millisecond }
    }

    @Test func nodelaySendsTheSecondSmallWriteAtOnce() throws {
        // Nagle (RFC 896): the second small write waits for the ACK of the first (10 ms RTT).
        #expect(Self.dataTimes(try Self.run("")) == [50, 60])
        #expect(Self.dataTimes(try Self.run("on connected client nodelay")) == [50, 51])
        #expect(Self.dataTimes(try Self.run("on connected client nodelay on")) == [50, 51])
        #expect(Self.dataTimes(try Self.run("on connected client nodelay\nat 40ms client nodelay off")) == [50, 60])
    }

    @Test func quickackOffMakesTheServerWaitForDataToCarryItsACK() throws {
        func serverACKTime(_ options: String) throws -> Int64? {
            let run = try Self.run(options)
            let ack = run.segmentsSent(by: "server").dropFirst().first { $0.segment.payload.isEmpty }
            return ack.map { $0.time / millisecond }
        }
        // Quick-ACK mode: the first data is acknowledged on arrival (55 ms).
        #expect(try serverACKTime("") == 55)
        // TCP_QUICKACK 0: interactive, so the ACK waits for the delayed-ACK timer (40 ms).
        #expect(try serverACKTime("on accepted server quickack off") == 95)
    }

    @Test func optionsRoundTripAndAreTraced() throws {
        let text = """
            scenario options
            hosts client server
            on connected client nodelay
            on connected client quickack off
            """
        let scenario = try ScenarioLanguage.parse(text, file: "options.scn")
        #expect(scenario.steps.map(\.operation) == [.socketOption(.noDelay(true)), .socketOption(.quickACK(false))])
        let printed = ScenarioLanguage.format(scenario)
        #expect(printed.contains("on connected client nodelay\n"))
        #expect(printed.contains("on connected client quickack off"))
        #expect(try ScenarioLanguage.parse(printed, file: "again.scn") == scenario)
        #expect(SocketCall(name: "nodelay", argument: "on") == .setOption(.noDelay(true)))
        #expect(SocketCall(name: "quickack", argument: "off") == .setOption(.quickACK(false)))
        #expect(SocketCall(name: "quickack", argument: "maybe") == nil)
        let run = try Self.run("on connected client nodelay")
        #expect(run.events.contains { event in
            if case .socketCall(_, .setOption(.noDelay(true))) = event.kind { true } else { false }
        })
    }

    /// `rcvbuf N` (SO_RCVBUF): Linux doubles the size and stops tuning it; a reader that has stopped
    /// reading accepts about the buffer's memory, not the 64 KiB window it offered before the option
    /// was set: past that the kernel drops the data and takes the window back (a zero window).
    @Test func rcvbufSizesTheReceiveWindow() throws {
        func acceptedBeforeZeroWindow(_ options: String) throws -> UInt32? {
            let run = SimulatedRuntime().run(try ScenarioLanguage.parse("""
                scenario rcvbuf
                profile linux
                hosts client server
                link rtt 1ms
                at 0 server listen 80
                at 0 client connect server:80
                on accepted server pause-reading
                \(options)
                on connected+5ms client send 200000
                time-limit 2s
                """, file: "rcvbuf.scn"))
            guard let iss = run.segmentsSent(by: "client").first?.segment.header.sequenceNumber else { return nil }
            return run.segmentsSent(by: "server").first { $0.segment.header.window == 0 && $0.time > 0 }
                .map { UInt32($0.segment.header.acknowledgmentNumber - iss) - 1 }
        }
        let tuned = try #require(try acceptedBeforeZeroWindow(""))
        let fixed = try #require(try acceptedBeforeZeroWindow("on accepted server rcvbuf 16384"))
        #expect(tuned > 120_000)   // the default buffer: 128 KiB of memory, most of it window
        // 32 KiB of memory: each 1448-octet segment costs its payload once queued behind unread data.
        #expect(fixed > 28_000 && fixed < 32768, "accepted \(fixed) bytes with a 32 KiB buffer")
    }

    /// `sndbuf N` (SO_SNDBUF): the application's writes are taken only as far as the buffer holds.
    @Test func sndbufBoundsWhatTheSenderQueues() throws {
        let scenario = try ScenarioLanguage.parse("""
            scenario sndbuf
            profile textbook
            hosts client server
            at 0 server listen 80
            at 0 client connect server:80
            on connected client sndbuf 3000
            on connected+1ms client send 100000
            """, file: "sndbuf.scn")
        func largestFlight(_ scenario: Scenario) -> (flight: Int, delivered: Int) {
            let run = SimulatedRuntime().run(scenario)
            let flights = run.events.compactMap { event -> Int? in
                guard event.node == "client", case .variables(_, let variables) = event.kind else { return nil }
                return variables.bytesInFlight
            }
            return (flights.max() ?? 0, run.sockets.bytesDelivered)
        }
        // Data in flight is still in the send buffer (until acknowledged), so it never exceeds it.
        let bounded = largestFlight(scenario)
        #expect(bounded.flight <= 3000 && bounded.flight > 0)
        #expect(bounded.delivered == 100_000)
        var unbounded = scenario
        unbounded.steps.removeAll { $0.operation == .socketOption(.sendBuffer(3000)) }
        #expect(largestFlight(unbounded).flight > 3000)
    }

    @Test func bufferSizesParseRoundTripAndRejectBadSizes() throws {
        let text = """
            scenario buffers
            hosts client server
            on connected client rcvbuf 8192
            on connected client sndbuf 4096
            """
        let scenario = try ScenarioLanguage.parse(text, file: "buffers.scn")
        #expect(scenario.steps.map(\.operation) == [.socketOption(.receiveBuffer(8192)), .socketOption(.sendBuffer(4096))])
        #expect(try ScenarioLanguage.parse(ScenarioLanguage.format(scenario), file: "again.scn") == scenario)
        #expect(SocketCall(name: "rcvbuf", argument: "8192") == .setOption(.receiveBuffer(8192)))
        #expect(SocketCall(name: "sndbuf", argument: "-1") == nil)
        for bad in ["rcvbuf 0", "rcvbuf lots", "sndbuf", "sndbuf 2000000000"] {
            do {
                _ = try ScenarioLanguage.parse("scenario b\nhosts a b\nat 0 a \(bad)\n", file: "bad.scn")
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(error.line == 3 && error.description.hasPrefix("bad.scn:3:"), "\(error)")
            }
        }
    }

    /// Data the window allowed but the memory of a sized buffer cannot hold is dropped (Linux's
    /// `TCPRcvQDrop`) and the window taken back at once; the sender's retransmission timer then sends
    /// the segment again as its probe, as a capture of Linux on `lo` shows (`tcp_retransmit_timer`).
    @Test func aSizedBufferDropsWhatItCannotHoldAndTheSenderRetransmitsIntoTheZeroWindow() throws {
        let run = SimulatedRuntime().run(try ScenarioLanguage.parse("""
            scenario rcvbuf
            profile linux
            hosts client server
            link rtt 50us mtu 65535
            at 0 server listen 80
            at 0 client connect server:80
            on accepted server pause-reading
            on accepted server rcvbuf 16384
            on connected+5ms client send 200000
            on accepted+1s server resume-reading
            on connected+1500ms client close
            on peer-finished server close
            """, file: "rcvbuf.scn"))
        let drops = run.events.filter { event in
            if case .packetDropped(_, .receiveBufferFull) = event.kind { true } else { false }
        }
        #expect(!drops.isEmpty)
        let server = run.segmentsSent(by: "server").dropFirst()
        let firstZero = try #require(server.first { $0.segment.header.window == 0 })
        // The zero window answers the dropped segment at once.
        #expect(firstZero.time - (drops.first?.time ?? 0) < 1_000)
        // Meanwhile the client sends data (the dropped segment again), not empty probes: first a tail
        // loss probe in the RTO's place (one segment in flight), then RTOs.
        let meanwhile = run.segmentsSent(by: "client").filter { $0.time > firstZero.time && $0.time < 1_000_000_000 }
        #expect(meanwhile.map(\.cause) == [.retransmission(.tailLossProbe), .retransmission(.timeout), .retransmission(.timeout)])
        #expect(meanwhile.allSatisfy { !$0.segment.payload.isEmpty })
        #expect(run.sockets.bytesDelivered == 200_000)
    }

    /// `linger 0` (SO_LINGER {1, 0}): the next `close` is abortive, a reset instead of a FIN (socket(7));
    /// the kernel on `lo` sends the same RST,ACK (replayed exactly).
    @Test func lingerZeroMakesCloseReset() throws {
        func clientFlags(_ options: String) throws -> [TCPFlags] {
            let run = SimulatedRuntime().run(try ScenarioLanguage.parse("""
                scenario linger
                profile linux
                hosts client server
                at 0 server listen 80
                at 0 client connect server:80
                on connected client send 1000
                \(options)
                on connected+50ms client close
                """, file: "linger.scn"))
            return run.segmentsSent(by: "client").map { $0.segment.header.flags.subtracting(.psh) }
        }
        #expect(try clientFlags("on connected client linger 0").last == [.rst, .ack])
        #expect(try !clientFlags("on connected client linger 0").contains { $0.contains(.fin) })
        #expect(try clientFlags("").contains { $0.contains(.fin) })
        let scenario = try ScenarioLanguage.parse("scenario l\nhosts a b\non connected a linger 0\n", file: "l.scn")
        #expect(scenario.steps.map(\.operation) == [.socketOption(.lingerZero)])
        #expect(try ScenarioLanguage.parse(ScenarioLanguage.format(scenario), file: "again.scn") == scenario)
        #expect(SocketCall(name: "linger", argument: "0") == .setOption(.lingerZero))
        #expect(SocketCall(name: "linger", argument: "5") == nil)
        #expect(throws: ScenarioSyntaxError.self) {
            try ScenarioLanguage.parse("scenario l\nhosts a b\nat 0 a linger 5\n", file: "l.scn")
        }
    }
}
