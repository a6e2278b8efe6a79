import Stack

extension Ablation {
    /// The invariant of the catalogue expected to catch the ablation.
    public var caughtBy: Invariant {
        switch self {
        case .noRetransmission: .reliableDelivery
        case .noTimeWait: .timeWait
        case .ackOffByOne: .ackNumbers
        case .ignoreReceiveWindow: .flightWithinWindow
        case .checksumNotVerified: .checksumDrop
        case .acceptOutOfWindow: .unacceptableSegmentAcked
        case .zeroISN: .isnDistinct
        case .noFastRetransmit: .fastRetransmit
        case .sackIgnored: .sackLostFirst
        }
    }
}
