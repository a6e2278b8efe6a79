import Simulation
import Stack
import Testing
import Tracing
import Wire

/// SYN-RECEIVED's ACK check (RFC 9293 §3.10.7.4 fifth check): "If SND.UNA < SEG.ACK =< SND.NXT, then
/// enter ESTABLISHED … If the segment acknowledgment is not acceptable, form a reset segment
/// <SEQ=SEG.ACK><CTL=RST> and send it."
@Suite("TCP SYN-RECEIVED unacceptable ACK (RFC 9293 §3.10.7.4 fifth check)")
struct TCPSynReceivedInputTests {
    let t0 = VirtualTime.zero

    /// A passive server in SYN-RECEIVED after the client's SYN (seq 1000): ISS 5000, SND.UNA 5000, SND.NXT 5001.
    func synReceivedServer() throws -> TCPConnection {
        var connection = TCPConnection(configuration: .textbook, local: serverEndpoint, remote: nil,
                                       initialSequenceNumber: serverISS)
        _ = connection.listen(now: t0)
        _ = connection.segmentArrives(segment(seq: 1000, flags: .syn, from: clientEndpoint, to: serverEndpoint),
                                      from: clientEndpoint.address, now: t0)
        try #require(connection.state == .synReceived)
        return connection
    }

    func fromClient(ack: UInt32, payload: [UInt8] = []) -> TCPSegment {
        segment(seq: 1001, ack: ack, flags: payload.isEmpty ? [] : .psh, payload: payload,
                from: clientEndpoint, to: serverEndpoint)
    }

    @Test("An ACK outside SND.UNA < SEG.ACK ≤ SND.NXT gets <SEQ=SEG.ACK><CTL=RST>; SYN-RECEIVED is kept",
          arguments: [5000, 4999, 5002, 6000, 0x8000_0000] as [UInt32])
    func unacceptableACK(ack: UInt32) throws {
        var server = try synReceivedServer()
        let actions = server.segmentArrives(fromClient(ack: ack), now: t0 + .milliseconds(10))
        try #require(actions.sent.count == 1)
        let reset = actions.sent[0].header
        #expect(reset.flags == .rst)
        #expect(reset.sequenceNumber == SequenceNumber(ack))
        #expect(reset.sourcePort == serverEndpoint.port)
        #expect(reset.destinationPort == clientEndpoint.port)
        #expect(actions.drops == [.unacceptableACKInSynReceived])
        #expect(actions.transitions.isEmpty)
        #expect(!actions.contains(.connected))
        #expect(server.state == .synReceived)
        #expect(server.sndUNA == serverISS)
        // The handshake can still complete with the right ACK.
        let completed = server.segmentArrives(fromClient(ack: 5001), now: t0 + .milliseconds(20))
        #expect(server.state == .established)
        #expect(completed.contains(.connected))
    }

    @Test("Data on an unacceptable ACK is not delivered")
    func dataNotDelivered() throws {
        var server = try synReceivedServer()
        let actions = server.segmentArrives(fromClient(ack: 5002, payload: pattern(100)), now: t0 + .milliseconds(10))
        #expect(actions.sent.map(\.header.flags) == [.rst])
        #expect(actions.drops == [.unacceptableACKInSynReceived])
        #expect(server.rcvNXT == SequenceNumber(1001))
        #expect(server.receiveQueueCount == 0)
        #expect(!actions.contains { if case .dataAvailable = $0 { true } else { false } })
    }

    @Test("After a simultaneous open, the active side's SYN-RECEIVED answers a bad ACK the same way")
    func activeSynReceived() throws {
        var client = TCPConnection(configuration: .textbook, local: clientEndpoint, remote: serverEndpoint,
                                   initialSequenceNumber: clientISS)
        _ = client.connect(now: t0)
        _ = client.segmentArrives(segment(seq: 5000, flags: .syn), now: t0 + .milliseconds(10))   // SYNs cross
        try #require(client.state == .synReceived)
        let actions = client.segmentArrives(segment(seq: 5001, ack: 1005, flags: []), now: t0 + .milliseconds(20))
        #expect(actions.sent.map(\.header.flags) == [.rst])
        #expect(actions.sent.map(\.header.sequenceNumber) == [SequenceNumber(1005)])
        #expect(actions.drops == [.unacceptableACKInSynReceived])
        #expect(client.state == .synReceived)
    }
}
