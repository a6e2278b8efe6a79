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
}
