import Tracing
import Simulation
import Stack
import Wire

// Fixtures and helpers for the TCP tests: endpoints, segment builders, action queries, a seeded generator.

let clientEndpoint = TCPEndpoint(address: IPv4Address(10, 0, 0, 1), port: 40000)
let serverEndpoint = TCPEndpoint(address: IPv4Address(10, 0, 0, 2), port: 80)
let clientISS = SequenceNumber(1000)
let serverISS = SequenceNumber(5000)

/// A segment as the peer (`serverEndpoint` by default) would send it to `clientEndpoint`.
func segment(
    seq: UInt32, ack: UInt32? = nil, flags: TCPFlags, window: UInt16 = 65535, payload: [UInt8] = [],
    options: [TCPOption] = [], from source: TCPEndpoint = serverEndpoint, to destination: TCPEndpoint = clientEndpoint
) -> TCPSegment {
    var flags = flags
    if ack != nil { flags.insert(.ack) }
    let header = TCPHeader(
        sourcePort: source.port, destinationPort: destination.port, sequenceNumber: SequenceNumber(seq),
        acknowledgmentNumber: SequenceNumber(ack ?? 0), flags: flags, window: window, options: options)
    return TCPSegment(header: header, payload: payload)
}

extension Array where Element == TCPAction {
    var sent: [TCPSegment] {
        compactMap { if case .send(let segment, _) = $0 { segment } else { nil } }
    }
    var retransmissions: [(TCPSegment, TCPRetransmission)] {
        compactMap { if case .send(let segment, let reason?) = $0 { (segment, reason) } else { nil } }
    }
    var transitions: [(from: TCPState, to: TCPState, cause: StateChangeCause)] {
        compactMap { if case .stateChanged(let from, let to, let cause) = $0 { (from, to, cause) } else { nil } }
    }
    var errors: [TCPError] {
        compactMap { if case .failed(let error) = $0 { error } else { nil } }
    }
    var drops: [PacketDropReason] {
        compactMap { if case .dropped(_, let reason) = $0 { reason } else { nil } }
    }
    var timersSet: [(TCPTimer, VirtualTime)] {
        compactMap { if case .setTimer(let timer, let at) = $0 { (timer, at) } else { nil } }
    }
    var congestionEvents: [(cwnd: Int, ssthresh: Int, reason: CongestionReason)] {
        compactMap { if case .congestion(let cwnd, let ssthresh, let reason) = $0 { (cwnd, ssthresh, reason) } else { nil } }
    }
    func contains(_ action: TCPAction) -> Bool { contains { $0 == action } }
}

extension SplitMix64 {
    /// True with probability `percent` / 100.
    mutating func chance(percent: UInt64) -> Bool { next() % 100 < percent }
}

/// Deterministic test bytes: 0, 1, ..., 250, 0, 1, ...
func pattern(_ count: Int, offset: Int = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: ($0 + offset) % 251) }
}

/// A client connection in ESTABLISHED with `serverEndpoint` (ISS 1000, IRS 5000), without a handshake.
func establishedClient(_ configuration: TCPConfiguration = .textbook, peerWindow: Int = 65535,
                       peerMSS: Int = 1460) -> TCPConnection {
    TCPConnection.established(configuration: configuration, local: clientEndpoint, remote: serverEndpoint,
                              iss: clientISS, irs: serverISS, peerWindow: peerWindow, peerMSS: peerMSS)
}

/// A parameterised test was given an argument it does not know.
struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = "unknown test argument: \(description)" }
}
