import Simulation
@testable import Stack
import Testing
import Tracing
import Wire

/// `TCPCongestionControl` on its own (RFC 5681 §3, RFC 6582 §3.2), with SMSS = 1460 unless stated.
@Suite("TCP congestion control (RFC 5681 §3, RFC 6582)")
struct TCPCongestionControlTests {
    let smss = 1460
    let iss = SequenceNumber(1000)

    func controller(initialWindowSegments: Int? = nil) -> TCPCongestionControl {
        TCPCongestionControl(smss: smss, initialWindowSegments: initialWindowSegments, iss: iss)
    }

    /// Three duplicate ACKs of `ack`; returns the outcome of the third.
    func threeDuplicates(_ cc: inout TCPCongestionControl, ack: SequenceNumber, flightSize: Int,
                         sndMax: SequenceNumber) -> TCPCongestionControl.DuplicateOutcome {
        var outcome = TCPCongestionControl.DuplicateOutcome.counted
        for _ in 0..<3 { outcome = cc.duplicateAck(ack: ack, flightSize: flightSize, sndMax: sndMax, enabled: true) }
        return outcome
    }

    // MARK: Initial window

    @Test("RFC 5681 §3.1 / RFC 3390: IW = min(4·SMSS, max(2·SMSS, 4380))", arguments: [
        (536, 2144), (1095, 4380), (1460, 4380), (2190, 4380), (4000, 8000), (9000, 18000),
    ])
    func initialWindowFormula(smss: Int, expected: Int) {
        #expect(TCPCongestionControl.initialWindow(smss: smss, segments: nil) == expected)
    }

    @Test("A fixed initial window counts whole segments (Linux: 10 × SMSS)")
    func initialWindowSegments() {
        #expect(TCPCongestionControl.initialWindow(smss: 1460, segments: 10) == 14600)
        #expect(TCPCongestionControl.initialWindow(smss: 1448, segments: 10) == 14480)
        #expect(TCPCongestionControl.initialWindow(smss: 1460, segments: 1) == 1460)
    }

    @Test("RFC 5681 §3.1: a new controller starts at IW, ssthresh arbitrarily high, recover = ISS, not in recovery")
    func initialState() {
        let cc = controller()
        #expect(cc.cwnd == 4380)
        #expect(cc.ssthresh == TCPCongestionControl.unbounded)
        #expect(cc.recover == iss)
        #expect(!cc.inFastRecovery)
        #expect(cc.duplicateACKs == 0)
        var restarted = cc
        restarted.start(smss: 536, initialWindowSegments: nil)   // the peer's MSS option arrived
        #expect(restarted.smss == 536)
        #expect(restarted.cwnd == 2144)
    }

    @Test("RFC 5681 §3.1 / RFC 3390: the handshake sets IW from the negotiated SMSS and the ACK of a SYN does not grow it")
    func initialWindowThroughHandshake() throws {
        var client = TCPConnection(configuration: .textbook, local: clientEndpoint, remote: serverEndpoint,
                                   initialSequenceNumber: clientISS)
        _ = client.connect(now: .zero)
        let established = client.segmentArrives(
            segment(seq: 5000, ack: 1001, flags: .syn, options: [.maximumSegmentSize(536)]), now: .zero)
        #expect(established.congestionEvents.map(\.reason) == [.initialWindow])
        #expect(established.congestionEvents.map(\.cwnd) == [2144])   // min(4 × 536, max(2 × 536, 4380))

        var server = TCPConnection(configuration: .textbook, local: serverEndpoint, remote: nil,
                                   initialSequenceNumber: serverISS)
        _ = server.listen(now: .zero)
        _ = server.segmentArrives(segment(seq: 1000, flags: .syn, options: [.maximumSegmentSize(1460)],
                                          from: clientEndpoint, to: serverEndpoint),
                                  from: clientEndpoint.address, now: .zero)
        let acked = server.segmentArrives(segment(seq: 1001, ack: 5001, flags: [], from: clientEndpoint, to: serverEndpoint),
                                          now: .zero)
        #expect(server.state == .established)
        #expect(acked.congestionEvents.map(\.reason) == [.initialWindow])
        #expect(server.cwnd == 4380)
    }

    // MARK: Slow start and congestion avoidance

    @Test("RFC 5681 §3.1 eq. 2: slow start grows cwnd by the octets acknowledged, at most SMSS per ACK")
    func slowStart() {
        var cc = controller()
        #expect(cc.newAck(ack: iss + 1001, acked: 1000) == .slowStart)
        #expect(cc.cwnd == 4380 + 1000)
        #expect(cc.newAck(ack: iss + 6001, acked: 5000) == .slowStart)
        #expect(cc.cwnd == 5380 + 1460)   // capped at one SMSS (L = 1)
        #expect(cc.newAck(ack: iss + 7461, acked: 1460) == .slowStart)
        #expect(cc.cwnd == 6840 + 1460)
    }

    @Test("RFC 5681 §3.1 eq. 3: congestion avoidance adds SMSS·SMSS/cwnd per ACK, under one SMSS per RTT")
    func congestionAvoidance() {
        var cc = controller()
        cc.timeout(flightSize: 29200, sndMax: iss + 29201, firstTimeout: true)   // ssthresh 14600, cwnd 1460
        #expect(cc.ssthresh == 14600)
        var ack = iss + 1
        for _ in 0..<9 {   // slow start up to ssthresh
            ack = ack + 1460
            #expect(cc.newAck(ack: ack, acked: 1460) == .slowStart)
        }
        #expect(cc.cwnd == 14600)   // cwnd = ssthresh: congestion avoidance from here (RFC 5681 §3.1)
        var windows: [Int] = []
        var reasons: [CongestionReason?] = []
        for _ in 0..<12 {
            ack = ack + 1460
            reasons.append(cc.newAck(ack: ack, acked: 1460))
            windows.append(cc.cwnd)
        }
        // 14600 + ⌊1460²/14600⌋ = 14746, then 14746 + ⌊1460²/14746⌋ = 14890, …
        #expect(windows == [14746, 14890, 15033, 15174, 15314, 15453, 15590, 15726, 15861, 15995, 16128, 16260])
        // One window of ACKs (ten) grows cwnd by less than one SMSS: "MUST NOT increment cwnd by more than SMSS
        // bytes" per RTT.
        #expect(windows[9] - 14600 <= 1460 && windows[9] - 14600 > 1200)
        // The trace reports the growth when cwnd crosses a multiple of SMSS (here 11 × 1460 = 16060).
        #expect(reasons == [CongestionReason?](repeating: nil, count: 10) + [.congestionAvoidance, nil])
    }

    // MARK: Loss

    @Test("RFC 5681 §3.2 / eq. 4: three duplicate ACKs set ssthresh = max(FlightSize/2, 2·SMSS), cwnd = ssthresh + 3·SMSS")
    func fastRetransmitThresholds() {
        var cc = controller(initialWindowSegments: 10)
        #expect(cc.duplicateAck(ack: iss + 1, flightSize: 14600, sndMax: iss + 14601, enabled: true) == .counted)
        #expect(cc.duplicateAck(ack: iss + 1, flightSize: 14600, sndMax: iss + 14601, enabled: true) == .counted)
        #expect(cc.cwnd == 14600)   // the first two change nothing (RFC 5681 §3.2 step 1; no limited transmit)
        #expect(cc.duplicateAck(ack: iss + 1, flightSize: 14600, sndMax: iss + 14601, enabled: true) == .fastRetransmit)
        #expect(cc.ssthresh == 7300)
        #expect(cc.cwnd == 7300 + 3 * 1460)
        #expect(cc.inFastRecovery)
        #expect(cc.recover == iss + 14601)   // RFC 6582 step 2: recover = the highest sequence number sent

        // Eq. 4 uses FlightSize, not cwnd: 4000 octets in flight under a 14600 cwnd → the 2·SMSS floor.
        var small = controller(initialWindowSegments: 10)
        #expect(threeDuplicates(&small, ack: iss + 1, flightSize: 4000, sndMax: iss + 4001) == .fastRetransmit)
        #expect(small.ssthresh == 2920)
        #expect(small.cwnd == 2920 + 3 * 1460)
    }

    @Test("Fast retransmit is skipped when disabled (the noFastRetransmit ablation), and a new ACK resets the count")
    func duplicateCounting() {
        var disabled = controller()
        for _ in 0..<5 {
            #expect(disabled.duplicateAck(ack: iss + 1, flightSize: 4380, sndMax: iss + 4381, enabled: false) == .counted)
        }
        #expect(!disabled.inFastRecovery)
        #expect(disabled.cwnd == 4380)

        var cc = controller()
        _ = cc.duplicateAck(ack: iss + 1, flightSize: 4380, sndMax: iss + 4381, enabled: true)
        _ = cc.duplicateAck(ack: iss + 1, flightSize: 4380, sndMax: iss + 4381, enabled: true)
        _ = cc.newAck(ack: iss + 1461, acked: 1460)
        #expect(cc.duplicateACKs == 0)
        _ = cc.duplicateAck(ack: iss + 1461, flightSize: 4380, sndMax: iss + 5841, enabled: true)
        #expect(cc.duplicateAck(ack: iss + 1461, flightSize: 4380, sndMax: iss + 5841, enabled: true) == .counted)
        #expect(cc.duplicateAck(ack: iss + 1461, flightSize: 4380, sndMax: iss + 5841, enabled: true) == .fastRetransmit)
    }

    @Test("RFC 6582 step 4: in recovery every duplicate ACK inflates cwnd by SMSS")
    func inflation() {
        var cc = controller(initialWindowSegments: 10)
        _ = threeDuplicates(&cc, ack: iss + 1, flightSize: 14600, sndMax: iss + 14601)
        #expect(cc.duplicateAck(ack: iss + 1, flightSize: 14600, sndMax: iss + 14601, enabled: true) == .inflated)
        #expect(cc.cwnd == 11680 + 1460)
        #expect(cc.duplicateAck(ack: iss + 1, flightSize: 14600, sndMax: iss + 14601, enabled: true) == .inflated)
        #expect(cc.cwnd == 11680 + 2 * 1460)
        #expect(cc.ssthresh == 7300)
    }

    @Test("RFC 6582 step 3: a partial ACK deflates cwnd by the octets acknowledged, adding SMSS back when ≥ SMSS")
    func partialAck() {
        var cc = controller(initialWindowSegments: 10)
        _ = threeDuplicates(&cc, ack: iss + 1, flightSize: 14600, sndMax: iss + 14601)   // cwnd 11680, recover ISS + 14601
        #expect(cc.recoveryAck(ack: iss + 2921, acked: 2920, flightSize: 11680) == .partial)
        #expect(cc.cwnd == 11680 - 2920 + 1460)
        #expect(cc.inFastRecovery)
        #expect(cc.recoveryAck(ack: iss + 3421, acked: 500, flightSize: 11180) == .partial)
        #expect(cc.cwnd == 10220 - 500)   // less than SMSS acknowledged: nothing added back
        #expect(cc.inFastRecovery)
        #expect(cc.ssthresh == 7300)
        #expect(cc.recover == iss + 14601)   // partial ACKs leave recover alone
    }

    @Test("RFC 6582 step 3: a partial ACK never deflates cwnd below one SMSS")
    func partialAckFloor() {
        var cc = controller()
        _ = threeDuplicates(&cc, ack: iss + 1, flightSize: 4380, sndMax: iss + 20001)   // ssthresh 2920, cwnd 7300
        #expect(cc.recoveryAck(ack: iss + 10001, acked: 10000, flightSize: 10000) == .partial)
        #expect(cc.cwnd == 1460)
    }

    @Test("RFC 6582 step 3: the ACK of recover itself is full; cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS)")
    func fullAck() {
        var cc = controller(initialWindowSegments: 10)
        _ = threeDuplicates(&cc, ack: iss + 1, flightSize: 14600, sndMax: iss + 14601)
        #expect(cc.recoveryAck(ack: iss + 14601, acked: 14600, flightSize: 0) == .full)
        #expect(!cc.inFastRecovery)
        #expect(cc.cwnd == 2920)   // max(0, SMSS) + SMSS
        #expect(cc.duplicateACKs == 0)

        var busy = controller(initialWindowSegments: 10)
        _ = threeDuplicates(&busy, ack: iss + 1, flightSize: 14600, sndMax: iss + 14601)
        #expect(busy.recoveryAck(ack: iss + 16001, acked: 16000, flightSize: 4000) == .full)
        #expect(busy.cwnd == 4000 + 1460)

        var full = controller(initialWindowSegments: 10)
        _ = threeDuplicates(&full, ack: iss + 1, flightSize: 14600, sndMax: iss + 14601)
        #expect(full.recoveryAck(ack: iss + 14601, acked: 14600, flightSize: 9000) == .full)
        #expect(full.cwnd == 7300)   // capped at ssthresh
    }

    @Test("RFC 5681 §3.1: an RTO sets ssthresh by eq. 4 and cwnd to the loss window (1 SMSS); recover = SND.MAX")
    func timeout() {
        var cc = controller(initialWindowSegments: 10)
        cc.timeout(flightSize: 20000, sndMax: iss + 20001, firstTimeout: true)
        #expect(cc.ssthresh == 10000)
        #expect(cc.cwnd == 1460)
        #expect(cc.recover == iss + 20001)   // RFC 6582 §4 (handling duplicate ACKs after a timeout)
        #expect(!cc.inFastRecovery)
        // The same segment timing out again: ssthresh is held (RFC 5681 §3.1, the note after eq. 4).
        cc.timeout(flightSize: 1460, sndMax: iss + 20001, firstTimeout: false)
        #expect(cc.ssthresh == 10000)
        #expect(cc.cwnd == 1460)
        // A small flight still leaves ssthresh at 2·SMSS.
        var small = controller()
        small.timeout(flightSize: 1000, sndMax: iss + 1001, firstTimeout: true)
        #expect(small.ssthresh == 2920)
    }

    @Test("RFC 6582 §4: an RTO during fast recovery ends it")
    func timeoutEndsRecovery() {
        var cc = controller(initialWindowSegments: 10)
        _ = threeDuplicates(&cc, ack: iss + 1, flightSize: 14600, sndMax: iss + 14601)
        cc.timeout(flightSize: 14600, sndMax: iss + 17521, firstTimeout: true)
        #expect(!cc.inFastRecovery)
        #expect(cc.cwnd == 1460)
        #expect(cc.recover == iss + 17521)
        #expect(cc.duplicateACKs == 0)
    }

    // MARK: recover

    @Test("RFC 6582 step 2: duplicates whose SEG.ACK does not pass recover are only counted; past it they retransmit")
    func recoverGatesFastRetransmit() {
        var cc = controller(initialWindowSegments: 10)
        cc.timeout(flightSize: 14600, sndMax: iss + 14601, firstTimeout: true)   // recover = ISS + 14601
        #expect(threeDuplicates(&cc, ack: iss + 1, flightSize: 14600, sndMax: iss + 14601) == .counted)
        #expect(!cc.inFastRecovery)
        #expect(cc.ssthresh == 7300)   // unchanged by the ignored duplicates
        #expect(cc.cwnd == 1460)
        _ = cc.newAck(ack: iss + 7301, acked: 7300)   // halfway to recover: still below it
        #expect(threeDuplicates(&cc, ack: iss + 7301, flightSize: 7300, sndMax: iss + 14601) == .counted)
        #expect(!cc.inFastRecovery)
        #expect(cc.recover == iss + 14601)

        _ = cc.newAck(ack: iss + 16061, acked: 1460)   // SND.UNA passes recover
        #expect(threeDuplicates(&cc, ack: iss + 16061, flightSize: 2920, sndMax: iss + 18981) == .fastRetransmit)
        #expect(cc.recover == iss + 18981)
    }

    @Test("RFC 6582 `recover` is compared modulo 2^32 (RFC 9293 §3.4): it follows SND.UNA so it never falls 2^31 behind")
    func recoverFollowsUnacknowledged() {
        var cc = controller()
        var ack = iss + 1
        // 2^31 + 2^28 octets acknowledged without a loss, in steps well under 2^31.
        for _ in 0..<9 {
            ack = ack + (1 << 28)
            _ = cc.newAck(ack: ack, acked: 1460)
        }
        #expect(cc.recover == ack - 1)
        #expect(threeDuplicates(&cc, ack: ack, flightSize: 14600, sndMax: ack + 14600) == .fastRetransmit)
        #expect(cc.inFastRecovery)
    }
}
