import Runs
import Stack
import Testing
import Tracing
import Wire

/// An abort's reset: `<SEQ=SND.NXT><CTL=RST>` in RFC 9293 §3.10.5; RST,ACK with RCV.NXT, the
/// window and timestamps from Linux (`tcp_send_active_reset`), as a capture on `lo` shows.
@Suite("The reset of an abort")
struct LinuxResetTests {
    static func abortReset(_ configuration: TCPConfiguration) throws -> TCPSegment {
        let pair = TCPPair.established(configuration)
        _ = pair.send(.server, pattern(10))
        pair.runUntilIdle()
        pair.perform(.client) { connection, now in connection.abort(now: now) }
        pair.runUntilIdle()
        return try #require(pair.sent(by: .client).last { $0.segment.header.flags.contains(.rst) }).segment
    }

    @Test func linuxResetsWithACKWindowAndTimestamps() throws {
        let reset = try Self.abortReset(.linux(mtu: 1500))
        #expect(reset.header.flags == [.rst, .ack])
        #expect(reset.header.acknowledgmentNumber == serverISS + 1 + 10)
        #expect(reset.header.window > 0)
        #expect(reset.header.options.contains { if case .timestamps = $0 { true } else { false } })
    }

    @Test func theTextbookResetIsBare() throws {
        let reset = try Self.abortReset(.textbook)
        #expect(reset.header.flags == .rst)
        #expect(reset.header.window == 0 && reset.header.options.isEmpty)
    }

    /// Data retransmissions that give up (RFC 1122 §4.2.3.5, R2): the textbook stack sends a reset
    /// as it closes; Linux's `tcp_write_err` closes without one.
    @Test(arguments: ["textbook", "linux"])
    func givingUpOnRetransmissionResetsOnlyOnTheTextbook(profile: String) throws {
        let run = SimulatedRuntime().run(try ScenarioLanguage.parse("""
            scenario give-up
            profile \(profile)
            hosts client server
            link rtt 10ms
            at 0 server listen 80
            at 0 client connect server:80
            at 100ms link down
            at 100ms client send 1000
            """, file: "give-up.scn"))
        let closes = run.events.filter { event in
            if event.node == "client", case .stateChanged(_, _, .closed, .retransmissionTimeout) = event.kind { true } else { false }
        }
        #expect(closes.count == 1)
        let resets = run.events.filter { event in
            guard event.node == "client", case .packetSent(let bytes, _) = event.kind,
                  let packet = try? IPv4Packet.parse(bytes), case .tcp(let segment) = packet.payload else { return false }
            return segment.header.flags.contains(.rst)
        }
        #expect(resets.count == (profile == "textbook" ? 1 : 0))
    }
}
