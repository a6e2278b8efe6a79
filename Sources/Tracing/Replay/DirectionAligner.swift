/// Aligns one direction of one connection: the segments the simulated stack sent that way against
/// the ones the kernel sent, applying the equivalences of `ReplayEquivalence` and nothing else.
///
/// A greedy walk with one cursor per side. At each step, in this order:
/// 1. the two segments have the same shape (flags, sequence range, acknowledgment): one row;
///    header details that differ are `timestamps-and-options` (or the difference, when strict);
/// 2. a pure ACK on one side that the other side's cumulative ACKs cover is set aside
///    (`window-update`, `ack-coalescing`, `delayed-ack-merge` or `fin-ack-piggyback`, by what
///    carries the acknowledgment on the other side) — never the ACK of a SYN, the handshake's
///    third segment, which both stacks send on its own;
/// 3. the same segment with a later acknowledgment on one side, where the other side's next pure
///    ACKs catch up (`delayed-ack-merge`, `fin-ack-piggyback`, or `close-race` when the simulated
///    FINs crossed);
/// 4. a RST with ACK against one without (`rst-ack`); data segments that start together and, taken
///    as runs, end together (`segmentation`);
/// 5. otherwise this is the direction's first difference; the rest is paired without judgment.
/// When the walk ends without a difference, both sides must have acknowledged as far. An equivalence
/// outside `allowed` (the profile models its mechanism) is never applied to the simulated side's
/// segments: where it would be, the direction differs. The kernel's own may still be excused
/// (`permits`).
///
/// Relative sequence numbers are compared as plain integers: a connection that sends more than
/// 2^31 octets one way would need sequence-space comparison (RFC 9293 §3.4) here.
struct DirectionAligner {
    /// One trace's segments in this direction, and what they acknowledge of the other direction.
    struct Side {
        var segments: [ReplaySegment]
        /// The acknowledgment number of the peer's SYN (1 when a SYN was seen), if any.
        var peerSYNAcknowledgment: UInt32?
        /// The acknowledgment number of the peer's FIN, if it sent one.
        var peerFINAcknowledgment: UInt32?
    }

    /// One place an equivalence applied: indices within the direction.
    struct Application: Hashable {
        var equivalence: ReplayEquivalence
        var simulated: Int?
        var kernel: Int?
    }

    struct Result {
        /// Rows with positions in each side's `segments` array (not yet connection positions).
        var rows: [ReplayRow] = []
        var applications: [Application] = []
        var difference: (simulated: ReplaySegment?, kernel: ReplaySegment?, reason: String)?
    }

    let direction: ReplayDirection
    /// Index 0: simulated; 1: kernel.
    let sides: [Side]
    let strict: Bool
    /// The equivalences this replay may apply (`ReplayEquivalence.allowed(for:)`).
    var allowed: Set<ReplayEquivalence> = Set(ReplayEquivalence.allCases)

    /// Whether `equivalence` may excuse a difference whose extra segment is on `side` (the side
    /// whose pure ACK is set aside, or whose FIN acknowledged less). An equivalence the profile does
    /// not allow may still excuse the kernel's side: a profile that models the mechanism sends what
    /// the kernel sends when the kernel's application keeps time, but the kernel's application may
    /// be late (a lone ACK of a FIN when it closed after the delayed-ACK timer, on a busy machine).
    func permits(_ equivalence: ReplayEquivalence, side: Int) -> Bool {
        allowed.contains(equivalence) || (equivalence == .finACKPiggyback && side == Self.kernel)
    }
    /// The simulated connection's FINs crossed (a simultaneous close).
    let finsCrossed: Bool
    /// The sending end (`client`, `server:80`), for messages.
    let sender: String

    private static let simulated = 0, kernel = 1

    func align() -> Result {
        var result = Result()
        var cursor = [0, 0]
        var headerNoted = false
        let resent = sides.map(Self.retransmissions)

        func segment(_ side: Int) -> ReplaySegment? {
            cursor[side] < sides[side].segments.count ? sides[side].segments[cursor[side]] : nil
        }
        func emit(_ simulated: [Int], _ kernel: [Int], _ status: ReplayRow.Status) {
            var row = ReplayRow(direction: direction, simulated: simulated, kernel: kernel, status: status)
            if case .equivalent(let equivalence) = status {
                row.equivalences = [equivalence]
                result.applications.append(Application(equivalence: equivalence, simulated: simulated.first.map(index(0)),
                                                       kernel: kernel.first.map(index(1))))
            }
            result.rows.append(row)
        }

        walk: while cursor[0] < sides[0].segments.count || cursor[1] < sides[1].segments.count {
            let s = segment(Self.simulated), k = segment(Self.kernel)
            // 1. The same segment.
            if let s, let k, s.hasSameShape(as: k) {
                if s.headerDetailsDiffer(from: k) {
                    if strict || !allowed.contains(.timestampsAndOptions) {
                        result.difference = (s, k, "windows, options or PSH differ" + (strict ? " (--strict)" : "")
                                             + ": simulated "
                                             + Self.details(s) + "; kernel " + Self.details(k))
                        break walk
                    }
                    emit([cursor[0]], [cursor[1]], .same)
                    result.applications.append(Application(equivalence: .timestampsAndOptions, simulated: s.index,
                                                           kernel: k.index))
                    if !headerNoted {
                        result.rows[result.rows.count - 1].equivalences.append(.timestampsAndOptions)
                        headerNoted = true
                    }
                } else {
                    emit([cursor[0]], [cursor[1]], .same)
                }
                cursor[0] += 1
                cursor[1] += 1
                continue
            }
            // Bytes sent again by one side only.
            for side in [Self.simulated, Self.kernel]
            where resent[side].contains(cursor[side]) && allowed.contains(.retransmission) {
                emit(side == 0 ? [cursor[0]] : [], side == 1 ? [cursor[1]] : [], .equivalent(.retransmission))
                cursor[side] += 1
                continue walk
            }
            // 2. A pure ACK the other side's acknowledgments cover; of two pure ACKs, the one that
            // acknowledges less goes first, so equal ones meet on one row.
            var order = [Self.simulated, Self.kernel]
            if let s, let k, s.isPureACK, k.isPureACK, (k.acknowledgment ?? 0) < (s.acknowledgment ?? 0) {
                order.reverse()
            }
            for side in order {
                if let x = segment(side), x.isPureACK, let equivalence = elision(of: cursor[side], side: side,
                                                                              otherCursor: cursor[1 - side]),
                   permits(equivalence, side: side) {
                    emit(side == 0 ? [cursor[0]] : [], side == 1 ? [cursor[1]] : [], .equivalent(equivalence))
                    cursor[side] += 1
                    continue walk
                }
            }
            guard let s, let k else {
                result.difference = (s, k, missingReason(s, k))
                break walk
            }
            // A reset with and without ACK.
            if allowed.contains(.rstACK), s.isRST, k.isRST, s.sequence == k.sequence, s.length == k.length,
               s.flags.symmetricDifference(k.flags).intersection(ReplaySegment.meaningfulFlags) == .ack {
                emit([cursor[0]], [cursor[1]], .equivalent(.rstACK))
                cursor[0] += 1
                cursor[1] += 1
                continue
            }
            // 3. The same segment, one side's acknowledgment later.
            if s.hasSameShapeApartFromACK(as: k), let (ends, equivalence, low) = ackCatchUp(cursor),
               permits(equivalence, side: low) {
                emit(Array(cursor[0]...ends[0]), Array(cursor[1]...ends[1]), .equivalent(equivalence))
                cursor = [ends[0] + 1, ends[1] + 1]
                continue
            }
            // 4. The same bytes, cut differently.
            if allowed.contains(.segmentation), let ends = segmentationRun(cursor, resent: resent) {
                emit(Array(cursor[0]...ends[0]), Array(cursor[1]...ends[1]), .equivalent(.segmentation))
                for side in [Self.simulated, Self.kernel] {
                    for offset in cursor[side]...ends[side] where resent[side].contains(offset) {
                        let index = sides[side].segments[offset].index
                        result.applications.append(Application(equivalence: .retransmission,
                                                               simulated: side == 0 ? index : nil,
                                                               kernel: side == 1 ? index : nil))
                    }
                }
                cursor = [ends[0] + 1, ends[1] + 1]
                continue
            }
            result.difference = (s, k, "simulated sends \(s.label), the kernel \(k.label)")
            break walk
        }

        if result.difference == nil, let difference = finalAcknowledgmentDifference() {
            result.difference = difference
            // Mark the row of the segment that went further.
            if let row = result.rows.lastIndex(where: { row in
                (difference.simulated.map { row.simulated.contains(offset(of: $0, side: 0)) } ?? false)
                    || (difference.kernel.map { row.kernel.contains(offset(of: $0, side: 1)) } ?? false)
            }) {
                result.rows[row].status = .different
            }
        } else if result.difference != nil {
            // The first difference, then the rest side by side.
            var first = true
            while cursor[0] < sides[0].segments.count || cursor[1] < sides[1].segments.count {
                let simulated = cursor[0] < sides[0].segments.count ? [cursor[0]] : []
                let kernel = cursor[1] < sides[1].segments.count ? [cursor[1]] : []
                emit(simulated, kernel, first ? .different : .unaligned)
                first = false
                cursor[0] += simulated.count
                cursor[1] += kernel.count
            }
        }
        return result
    }

    /// The index within the direction of the segment at `offset` of `side`.
    private func index(_ side: Int) -> (Int) -> Int {
        { offset in sides[side].segments[offset].index }
    }

    /// Where `segment` is in `side`'s segments (the rows' numbering, before connection positions).
    private func offset(of segment: ReplaySegment, side: Int) -> Int {
        sides[side].segments.firstIndex(of: segment) ?? -1
    }

    // MARK: - Rules

    /// Offsets of the segments that send again what their side had sent: a SYN like an earlier one
    /// (not the SYN,ACK of a simultaneous open, which answers the peer's SYN), or data or a FIN
    /// wholly below the highest sequence number sent so far.
    private static func retransmissions(_ side: Side) -> Set<Int> {
        var resent: Set<Int> = []
        var highest: UInt32?
        for (offset, segment) in side.segments.enumerated() where segment.kind == .tcp && !segment.isRST {
            if segment.isSYN {
                let earlier = side.segments[..<offset]
                if earlier.contains(where: { $0.isSYN && $0.acknowledgment == segment.acknowledgment }) { resent.insert(offset) }
            } else if segment.carriesStream, let top = highest, segment.sequenceEnd <= top {
                resent.insert(offset)
            }
            if segment.isSYN || segment.carriesStream { highest = max(highest ?? 0, segment.sequenceEnd) }
        }
        return resent
    }

    /// Whether the pure ACK at `offset` of `side` may be set aside, and under which equivalence.
    private func elision(of offset: Int, side: Int, otherCursor: Int) -> ReplayEquivalence? {
        let own = sides[side], other = sides[1 - side]
        let ack = own.segments[offset]
        guard let number = ack.acknowledgment else { return nil }
        // The handshake's ACK (the first segment of this direction to acknowledge the peer's SYN) is never set aside.
        if number == own.peerSYNAcknowledgment
            && !own.segments[..<offset].contains(where: { $0.acknowledgment == number }) {
            return nil
        }
        if offset > 0, own.segments[offset - 1].acknowledgment == number { return .windowUpdate }
        let from = max(0, otherCursor - 1)
        let carrier = other.segments[from...].first { !$0.isRST && ($0.acknowledgment ?? 0) >= number && $0.acknowledgment != nil }
        guard let carrier else {
            // Covered by an earlier cumulative ACK of the other side.
            return other.segments[..<from].contains { ($0.acknowledgment ?? 0) >= number && $0.acknowledgment != nil }
                ? .ackCoalescing : nil
        }
        if carrier.isPureACK || carrier.isSYN { return .ackCoalescing }
        if carrier.isFIN && carrier.length == 0 {
            return number == own.peerFINAcknowledgment ? .finACKPiggyback : .ackCoalescing
        }
        return .delayedACKMerge
    }

    /// Same segment, different acknowledgments: the side that acknowledged less catches up with
    /// its next pure ACKs (which join the row), or later in the direction.
    private func ackCatchUp(_ cursor: [Int]) -> (ends: [Int], equivalence: ReplayEquivalence, low: Int)? {
        let s = sides[0].segments[cursor[0]], k = sides[1].segments[cursor[1]]
        guard let sAck = s.acknowledgment, let kAck = k.acknowledgment else { return nil }
        let low = sAck < kAck ? 0 : 1
        let target = max(sAck, kAck)
        let lowSide = sides[low]
        var end = cursor[low]
        var reached = min(sAck, kAck)
        while reached < target, end + 1 < lowSide.segments.count, lowSide.segments[end + 1].isPureACK,
              let next = lowSide.segments[end + 1].acknowledgment, next <= target {
            end += 1
            reached = next
        }
        if reached < target {
            // Not at once: then at least somewhere later in the direction.
            end = cursor[low]
            guard lowSide.segments[(cursor[low] + 1)...].contains(where: { ($0.acknowledgment ?? 0) >= target }) else {
                return nil
            }
        }
        var ends = cursor
        ends[low] = end
        let equivalence: ReplayEquivalence
        if s.isFIN && s.length == 0 {
            if finsCrossed && low == Self.simulated {
                equivalence = .closeRace
            } else {
                equivalence = target == lowSide.peerFINAcknowledgment ? .finACKPiggyback : .delayedACKMerge
            }
        } else {
            equivalence = .delayedACKMerge
        }
        return (ends, equivalence, low)
    }

    /// Data segments that start at the same sequence number and, taken as runs (pure ACKs and
    /// retransmissions inside them are carried along), end at the same one, FIN or no FIN alike.
    private func segmentationRun(_ cursor: [Int], resent: [Set<Int>]) -> [Int]? {
        let s = sides[0].segments[cursor[0]], k = sides[1].segments[cursor[1]]
        guard s.carriesStream, k.carriesStream, s.sequence == k.sequence, s.sequenceEnd != k.sequenceEnd else { return nil }
        var at = cursor
        var ends = [s.sequenceEnd, k.sequenceEnd]
        var fins = [s.isFIN, k.isFIN]
        while ends[0] != ends[1] {
            let behind = ends[0] < ends[1] ? 0 : 1
            let segments = sides[behind].segments
            var next = at[behind] + 1
            while next < segments.count, segments[next].isPureACK || resent[behind].contains(next) { next += 1 }
            guard next < segments.count, segments[next].carriesStream, segments[next].sequence == ends[behind],
                  !fins[behind] else { return nil }
            at[behind] = next
            ends[behind] = segments[next].sequenceEnd
            fins[behind] = segments[next].isFIN
        }
        return fins[0] == fins[1] ? at : nil
    }

    /// Both sides must end up acknowledging as far: a cumulative ACK that one side never sent.
    private func finalAcknowledgmentDifference() -> (simulated: ReplaySegment?, kernel: ReplaySegment?, reason: String)? {
        let highest = sides.map { side in side.segments.compactMap(\.acknowledgment).max() }
        guard highest[0] != highest[1] else { return nil }
        let ahead = (highest[0] ?? 0) > (highest[1] ?? 0) || highest[1] == nil ? 0 : 1
        let limit = highest[1 - ahead]
        let first = sides[ahead].segments.first { ($0.acknowledgment ?? 0) > (limit ?? 0) || (limit == nil && $0.acknowledgment != nil) }
        let names = ["simulated", "kernel"]
        let reason = "\(sender)'s \(names[ahead]) side acknowledges up to \(highest[ahead] ?? 0), the "
            + (limit.map { "\(names[1 - ahead]) side only up to \($0)" } ?? "\(names[1 - ahead]) side nothing")
        return ahead == 0 ? (first, nil, reason) : (nil, first, reason)
    }

    private func missingReason(_ s: ReplaySegment?, _ k: ReplaySegment?) -> String {
        if let s { return "simulated sends \(s.label), the kernel sends nothing more from \(sender)" }
        if let k { return "the kernel sends \(k.label), the simulated side sends nothing more from \(sender)" }
        return ""
    }

    private static func details(_ segment: ReplaySegment) -> String {
        var text = "win \(segment.window)"
        if segment.flags.contains(.psh) { text += " PSH" }
        let options = segment.options.compactMap { option -> String? in
            switch option {
            case .noOperation, .endOfList: nil
            case .maximumSegmentSize(let value): "mss \(value)"
            case .windowScale(let shift): "wscale \(shift)"
            case .sackPermitted: "sackOK"
            case .sack: "sack"
            case .timestamps: "TS"
            case .unknown(let kind, _): "opt-\(kind)"
            }
        }
        return options.isEmpty ? text : text + " <" + options.joined(separator: ",") + ">"
    }
}
