/// The order of a connection's SYNs, FINs and RSTs across both directions: which end opened,
/// which closed first, which reset. Aligning each direction on its own cannot see this (two FINs
/// sent in the other order still look the same per direction), so a replay checks it separately.
///
/// When the simulated FINs crossed (a simultaneous close) the kernel may send them in either order:
/// that is the `close-race` equivalence.
enum ControlOrder {
    /// The segments that open, close or reset, in the order they were sent; a SYN, FIN or RST sent
    /// again (a retransmission) is left out, as the `retransmission` equivalence leaves it out.
    static func controls(of connection: ReplayConnection) -> [ReplaySegment] {
        var seen: Set<String> = []
        return connection.segments.filter { segment in
            guard segment.kind == .tcp, segment.isSYN || segment.isFIN || segment.isRST else { return false }
            return seen.insert(signature(segment)).inserted
        }
    }

    /// What the order check compares of a control segment: its direction and what it does.
    private static func signature(_ segment: ReplaySegment) -> String {
        (segment.direction == .forward ? ">" : "<") + (segment.isSYN ? "SYN" : "") + (segment.isFIN ? "FIN" : "")
            + (segment.isRST ? "RST" : "") + (segment.isSYN && segment.acknowledgment != nil ? "ACK" : "")
    }

    /// The first control segment sent out of order, with the other side's segment at that place.
    static func difference(simulated: ReplayConnection, kernel: ReplayConnection, finsCrossed: Bool) -> ReplayDifference? {
        var s = controls(of: simulated), k = controls(of: kernel)
        if finsCrossed {
            // Either FIN may go first on the kernel: compare the FINs apart.
            let finSignatures = { (list: [ReplaySegment]) in list.filter(\.isFIN).map(signature).sorted() }
            if finSignatures(s) == finSignatures(k) {
                s.removeAll(where: \.isFIN)
                k.removeAll(where: \.isFIN)
            }
        }
        for i in 0..<max(s.count, k.count) {
            let a = i < s.count ? s[i] : nil, b = i < k.count ? k[i] : nil
            if let a, let b, signature(a) == signature(b) { continue }
            let key = simulated.key
            let reason: String
            switch (a, b) {
            case let (a?, b?) where a.isFIN && b.isFIN:
                reason = "the first FIN comes from \(sender(a, key)) on the simulated side but from \(sender(b, key)) "
                    + "on the kernel: the other end closed first"
            case let (a?, b?):
                reason = "control segments in another order: simulated \(sender(a, key)) sends \(a.label) where the "
                    + "kernel's \(sender(b, key)) sends \(b.label)"
            case let (a?, nil):
                reason = "simulated \(sender(a, key)) sends \(a.label); the kernel sends no such segment"
            case let (nil, b?):
                reason = "the kernel's \(sender(b, key)) sends \(b.label); the simulated side sends no such segment"
            case (nil, nil):
                continue
            }
            return ReplayDifference(connection: key, direction: (b ?? a)?.direction, simulated: a, kernel: b, reason: reason)
        }
        return nil
    }

    private static func sender(_ segment: ReplaySegment, _ key: ReplayConnectionKey) -> String {
        (segment.direction == .forward ? key.first : key.second).description
    }
}
