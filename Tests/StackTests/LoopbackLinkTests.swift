import Runs
import Testing
import Tracing
import Wire

/// `link loopback`: packets delivered within the call that sent them and applications woken
/// after, as on Linux's `lo` (the replay's simulated side), and the Linux sender rules that show
/// there: Minshall's Nagle and a FIN that passes Nagle.
@Suite("Loopback link")
struct LoopbackLinkTests {
    static func run(_ text: String) throws -> Run {
        SimulatedRuntime().run(try ScenarioLanguage.parse(text, file: "loopback.scn"))
    }

    /// `(flags without PSH, relative sequence, length, relative ack)` of each segment after the handshake.
    static func exchange(_ run: Run) -> [(node: String, flags: TCPFlags, sequence: UInt32, length: Int, ack: UInt32)] {
        let segments = run.segmentsSent()
        guard segments.count >= 2 else { return [] }
        let iss = [segments[0].node: segments[0].segment.header.sequenceNumber,
                   segments[1].node: segments[1].segment.header.sequenceNumber]
        return segments.dropFirst(3).map { traced in
            let header = traced.segment.header
            let peer = iss.keys.first { $0 != traced.node } ?? ""
            return (traced.node, header.flags.subtracting(.psh),
                    header.sequenceNumber.rawValue &- (iss[traced.node] ?? header.sequenceNumber).rawValue,
                    traced.segment.payload.count,
                    header.acknowledgmentNumber.rawValue &- (iss[peer] ?? header.acknowledgmentNumber).rawValue)
        }
    }

    @Test func closesAtOneInstantDoNotCrossOnLoopback() throws {
        func teardown(_ link: String) throws -> Run {
            try Self.run("""
                scenario close-together
                profile linux
                hosts client server
                \(link)
                at 0 server listen 80
                at 0 client connect server:80
                at 200ms client close
                at 200ms server close
                """)
        }
        // On lo the client's FIN is in before the server's close, which carries its ACK: three
        // segments and one TIME-WAIT, as the kernel does.
        let loopback = try teardown("link loopback")
        #expect(Self.exchange(loopback).map { "\($0.node) \($0.flags)" }
                == ["client F.", "server F.", "client ."])
        #expect(loopback.firstTime("server", enters: .closing) == nil)
        #expect(loopback.firstTime("server", enters: .timeWait) == nil)
        #expect(loopback.firstTime("client", enters: .timeWait) != nil)
        // On a link with delay both FINs are in flight at once: a simultaneous close, both in TIME-WAIT.
        let crossing = try teardown("link rtt 50us")
        #expect(crossing.firstTime("server", enters: .closing) != nil)
        #expect(crossing.firstTime("server", enters: .timeWait) != nil)
    }

    @Test func anApplicationWokenLaterReadsTheDataAndTheFINTogether() throws {
        func echo(_ link: String) throws -> UInt32? {
            let run = try Self.run("""
                scenario echo
                profile linux
                hosts client server
                \(link)
                at 0 server listen 80 echo
                at 0 client connect server:80
                on connected client send 1000
                on connected client shutdown
                """)
            return Self.exchange(run).first { $0.node == "server" && $0.length > 0 }?.ack
        }
        // The echo acknowledges the FIN too (1002): the server woke after both had arrived.
        #expect(try echo("link loopback") == 1002)
        // Woken by the data alone, it answers before the FIN is in.
        #expect(try echo("link rtt 50us") == 1001)
    }

    @Test func eachWriteIsDeliveredAndAcknowledgedBeforeTheNext() throws {
        func lengths(_ link: String) throws -> [Int] {
            let run = try Self.run("""
                scenario writes
                profile linux
                hosts client server
                \(link)
                at 0 server listen 80
                at 0 client connect server:80
                at 100ms client send 100
                at 100ms client send 100
                at 100ms client send 100
                """)
            return Self.exchange(run).filter { $0.node == "client" && $0.length > 0 }.map(\.length)
        }
        // The ACK of each write is in before the next write, so Nagle holds nothing back.
        #expect(try lengths("link loopback") == [100, 100, 100])
        // With a round trip between them, the second and third wait for the first's ACK, together.
        #expect(try lengths("link rtt 20ms") == [100, 200])
    }

    @Test func aFINTakesTheLastShortSegmentPastNagleOnLinux() throws {
        func finTime(_ profile: String) throws -> Int64? {
            let run = try Self.run("""
                scenario short-writes
                profile \(profile)
                hosts client server
                link rtt 20ms
                at 0 server listen 80
                at 0 client connect server:80
                at 100ms client send 100
                at 100ms client send 100
                at 100ms client close
                """)
            return run.segmentsSent(by: "client").first { $0.segment.header.flags.contains(.fin) }?.time
        }
        // Linux: the second short write waits (the first is a short segment in flight), but the FIN
        // behind it takes it along at once (tcp_nagle_test).
        #expect(try finTime("linux") == 100 * millisecond)
        // The textbook's Nagle holds data and FIN until the first segment is acknowledged.
        #expect(try finTime("textbook") == 120 * millisecond)
    }

    @Test func theScenarioLanguageNamesTheLoopbackLink() throws {
        let scenario = try ScenarioLanguage.parse("""
            scenario lo
            hosts a b
            link loopback
            at 0 b listen 80
            """, file: "lo.scn")
        #expect(scenario.link.loopback)
        #expect(scenario.link.rtt == 0 && scenario.link.mtu == 65535)
        let printed = ScenarioLanguage.format(scenario)
        #expect(printed.contains("link loopback\n"))
        #expect(try ScenarioLanguage.parse(printed, file: "printed.scn") == scenario)
        // Properties after it still apply.
        let slower = try ScenarioLanguage.parse("scenario lo\nhosts a b\nlink loopback mtu 1500\nat 0 b listen 80\n",
                                                file: "lo.scn")
        #expect(slower.link.loopback && slower.link.mtu == 1500)
        // The trace header keeps it.
        let header = TraceHeader(scenario: "lo", seed: 1, profile: "linux", hosts: [], link: scenario.link)
        let trace = Trace(header: header, events: [])
        #expect(try TraceFile.read(bytes: Array(TraceFile.write(trace).utf8), file: "lo.jsonl").header.link.loopback)
    }
}
