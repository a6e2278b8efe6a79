@testable import Stack
import Runs
import Simulation
import Testing
import Tracing
import Wire

/// The linux profile's receive window (`TCPLinuxReceiveWindow`) against figures read from Linux 6.18
/// on loopback with `ss -tmi` (a server socket with a 128 KiB buffer, MSS 65483, a client writing
/// without TCP_NODELAY delays; `skmem` r = what the queued data costs, `rcv_ssthresh`): the window
/// grows as packets arrive, a coalesced packet costs only its payload, and a reader that stops
/// gets a true zero window, probes and a window update.
@Suite("Linux receive window")
struct LinuxReceiveWindowTests {
    static let loopbackSYNWindow = 65483

    static func model() -> TCPLinuxReceiveWindow {
        TCPLinuxReceiveWindow(bufferSize: 131_072, locked: false, advmss: 65483, synWindow: loopbackSYNWindow,
                              readFrom: SequenceNumber(1), now: .zero)
    }

    @Test func theWindowGrowsAsTheKernelsDoesPacketByPacket() {
        var window = Self.model()
        #expect(window.windowClamp == 130_966)   // tcp_init_buffer_space: 2 × advmss on loopback
        var next = SequenceNumber(1)
        var receiveMSS = 536   // icsk_ack.rcv_mss: TCP_MSS_DEFAULT, then the longest packet so far
        // (payload, rmem after it, rcv_ssthresh after it), each read before the next arrives.
        let kernel: [(length: Int, allocated: Int, growthLimit: Int)] = [
            (100, 932, 65483), (1000, 1832, 70173), (1000, 1832, 70173), (5000, 5832, 107_138),
            (20000, 20832, 107_520),
        ]
        for (length, allocated, growthLimit) in kernel {
            next = next + UInt32(length)
            window.inOrderDataQueued(length: length, end: next, receiveMSS: receiveMSS, acknowledged: next)
            if length >= receiveMSS { receiveMSS = min(length, 65483) }
            #expect(window.allocated == allocated, "after \(length)")
            #expect(window.growthLimit == growthLimit, "after \(length)")
            // The ACK offers the growth limit, rounded up to the scale unit (1024 with shift 10).
            let offer = window.select(current: 0, receiveMSS: receiveMSS, shift: 10)
            #expect(offer == (min(growthLimit, window.freeSpace) + 1023) / 1024 * 1024, "after \(length)")
            window.read(upTo: next, rtt: nil, now: .zero)
            #expect(window.allocated == 0)
        }
    }

    @Test func packetsQueuedBehindUnreadDataCostOnlyTheirPayload() {
        var window = Self.model()
        var next = SequenceNumber(1)
        var allocated: [Int] = []
        for _ in 0..<4 {
            next = next + 30000
            window.inOrderDataQueued(length: 30000, end: next, receiveMSS: allocated.isEmpty ? 536 : 30000,
                                     acknowledged: next)
            allocated.append(window.allocated)
        }
        #expect(allocated == [30832, 60832, 90832, 120_832])   // ss -m on Linux 6.18
        #expect(window.growthLimit == 97499)
        // 10 KiB of memory left: less than a segment, so the buffer would offer nothing.
        #expect(window.proposal(receiveMSS: 30000, shift: 10) == 0)
    }

    @Test func aStoppedReaderAdvertisesAZeroWindowThenAWindowUpdate() {
        let run = run("stopped-reader")
        let fromServer = run.segmentsSent(by: "server").dropFirst()   // after the SYN,ACK
        let windows = fromServer.map(\.segment.header.window)
        let zero = windows.firstIndex(of: 0)
        #expect(zero != nil, "\(windows)")
        guard let zero else { return }
        let closing = fromServer[fromServer.startIndex + zero]
        let closedAt = closing.segment.header.acknowledgmentNumber
        // The window update: the same acknowledgment, a window again, once the server reads.
        let update = fromServer.dropFirst(zero + 1).first { $0.segment.header.window > 0 }
        #expect(update?.segment.header.acknowledgmentNumber == closedAt)
        let reopened = update?.time ?? 0
        #expect(reopened >= 1_000_000_000)
        // Meanwhile the client probes the zero window (RFC 9293 §3.8.6.1), and each probe is answered
        // with the window still 0.
        let probes = run.segmentsSent(by: "client").filter { $0.time > closing.time && $0.time < reopened }
        #expect(probes.count >= 1)
        let answers = fromServer.filter { $0.time > closing.time && $0.time < reopened }
        #expect(!answers.isEmpty && answers.allSatisfy { $0.segment.header.window == 0 })
    }

    /// Dynamic right-sizing: reading more in a round trip than the last measure raises the buffer,
    /// up to `tcp_rmem[2]`, however much was read (2 × 10^9 octets here: no overflow).
    @Test func rightSizingGrowsTheBufferUpToItsMaximum() {
        var window = Self.model()
        window.read(upTo: SequenceNumber(1) + 300_000, rtt: .milliseconds(1), now: .zero + .milliseconds(1))
        #expect(window.buffer > 131_072 && window.buffer < TCPLinuxReceiveWindow.maximumBuffer)
        window.read(upTo: SequenceNumber(1) + 2_000_000_000, rtt: .milliseconds(1), now: .zero + .milliseconds(2))
        #expect(window.buffer == TCPLinuxReceiveWindow.maximumBuffer)
        var locked = TCPLinuxReceiveWindow(bufferSize: 131_072, locked: true, advmss: 65483, synWindow: 65483,
                                           readFrom: SequenceNumber(1), now: .zero)
        locked.read(upTo: SequenceNumber(1) + 300_000, rtt: .milliseconds(1), now: .zero + .milliseconds(1))
        #expect(locked.buffer == 131_072)   // SO_RCVBUF: not tuned
    }
}
