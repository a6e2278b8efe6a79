import Stack

/// A protocol rule switched off on purpose, so a learner (or the checker) sees what it is for.
public struct Ablation: Hashable, Sendable {
    /// Kebab-case name, as `stacklab check --ablate NAME` takes it.
    public let name: String
    public let summary: String
    /// The TCP switch, if the ablation is one (`checksum-not-verified` is an IP-layer switch).
    public let tcp: TCPAblations?
    /// The invariant expected to catch it.
    public let caughtBy: String

    /// False for `checksum-not-verified`: the receiving IP layer accepts corrupted packets.
    public var verifiesChecksums: Bool { name != "checksum-not-verified" }

    /// Applies the ablation to a TCP configuration.
    public func apply(to configuration: inout TCPConfiguration) {
        if let tcp { configuration.ablations.insert(tcp) }
    }

    /// Every ablation, in a fixed order.
    public static let all: [Ablation] = [
        Ablation(name: "no-retransmission", summary: "Never retransmit: no RTO, no fast retransmit, no SYN retries.",
                 tcp: .noRetransmission, caughtBy: "reliable-delivery"),
        Ablation(name: "no-time-wait", summary: "The active closer goes straight to CLOSED, skipping TIME-WAIT.",
                 tcp: .noTimeWait, caughtBy: "time-wait"),
        Ablation(name: "ack-off-by-one", summary: "Acknowledge one octet too many (SEG.ACK = RCV.NXT + 1).",
                 tcp: .ackOffByOne, caughtBy: "ack-numbers"),
        Ablation(name: "ignore-receive-window", summary: "Send what the congestion window allows, ignoring the peer's window.",
                 tcp: .ignoreReceiveWindow, caughtBy: "flight-within-window"),
        Ablation(name: "checksum-not-verified", summary: "The receiving IP layer accepts packets with bad checksums.",
                 tcp: nil, caughtBy: "checksum-drop"),
        Ablation(name: "accept-out-of-window", summary: "Skip the sequence-number acceptability test, RSTs included.",
                 tcp: .acceptOutOfWindow, caughtBy: "unacceptable-segment-acked"),
        Ablation(name: "zero-isn", summary: "Every connection starts at sequence number 0.",
                 tcp: .zeroISN, caughtBy: "isn-distinct"),
        Ablation(name: "no-fast-retransmit", summary: "Ignore duplicate ACKs: recover from loss by RTO only.",
                 tcp: .noFastRetransmit, caughtBy: "fast-retransmit"),
    ]

    public static func named(_ name: String) -> Ablation? { all.first { $0.name == name } }
}
