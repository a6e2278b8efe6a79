import Stack

extension Ablation {
    /// The invariant of the catalogue expected to catch the ablation.
    public var caughtBy: String {
        switch self {
        case .noRetransmission: "reliable-delivery"
        case .noTimeWait: "time-wait"
        case .ackOffByOne: "ack-numbers"
        case .ignoreReceiveWindow: "flight-within-window"
        case .checksumNotVerified: "checksum-drop"
        case .acceptOutOfWindow: "unacceptable-segment-acked"
        case .zeroISN: "isn-distinct"
        case .noFastRetransmit: "fast-retransmit"
        }
    }
}
