extension TraceEvent {
    /// Whether two events are equal (`==`), with packet bytes compared eight at a time.
    ///
    /// The derived `==` compares a packet's bytes one by one through `Array`'s generic equality,
    /// ~2,100 instructions an event: the `determinism` invariant, which compares every event of
    /// a case with its rerun, spent 8.7% of `check` there (callgrind, `check --seeds 300`).
    public func isIdentical(to other: TraceEvent) -> Bool {
        guard time == other.time, node == other.node else { return false }
        switch (kind, other.kind) {
        case let (.packetSent(bytes, cause), .packetSent(otherBytes, otherCause)):
            return cause == otherCause && Self.sameBytes(bytes, otherBytes)
        case let (.packetReceived(bytes), .packetReceived(otherBytes)),
             let (.packetDuplicated(bytes), .packetDuplicated(otherBytes)):
            return Self.sameBytes(bytes, otherBytes)
        case let (.packetDropped(bytes, reason), .packetDropped(otherBytes, otherReason)):
            return reason == otherReason && Self.sameBytes(bytes, otherBytes)
        default:
            return kind == other.kind
        }
    }

    private static func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in
                let count = a.count
                var difference: UInt64 = 0
                var index = 0
                while index &+ 8 <= count {
                    difference |= a.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                        ^ b.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    index &+= 8
                }
                while index < count {
                    difference |= UInt64(a[index] ^ b[index])
                    index &+= 1
                }
                return difference == 0
            }
        }
    }
}

extension Array where Element == TraceEvent {
    /// Whether two traces' events are equal, event for event (`TraceEvent.isIdentical(to:)`).
    public func isIdentical(to other: [TraceEvent]) -> Bool {
        guard count == other.count else { return false }
        return withUnsafeBufferPointer { events in
            other.withUnsafeBufferPointer { others in
                for index in events.indices where !events[index].isIdentical(to: others[index]) { return false }
                return true
            }
        }
    }
}
