/// Names one scheduled event so that it can be cancelled.
///
/// A handle is two integers: the slot that holds the event's action and the event's insertion
/// sequence number. Slots are reused; the sequence number, unique per scheduler, keeps an old
/// handle from cancelling a newer event in the same slot.
public struct TimerHandle: Hashable, Sendable {
    /// Index of the action in the scheduler's side array.
    let slot: Int32
    /// Insertion sequence number (1, 2, 3, ...), also the tie-breaker among equal times.
    public let sequence: UInt64
}
