/// One of the two ends of a point-to-point link.
public enum LinkSide: Int, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case a = 0
    case b = 1

    /// The other end.
    public var opposite: LinkSide { self == .a ? .b : .a }

    public var description: String { self == .a ? "A" : "B" }
}

/// The direction a frame travels on a link, named by the end it leaves from.
public enum LinkDirection: Int, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case aToB = 0
    case bToA = 1

    /// The direction of frames sent from `side`.
    public init(from side: LinkSide) {
        self = side == .a ? .aToB : .bToA
    }

    /// The end frames leave from.
    public var source: LinkSide { self == .aToB ? .a : .b }

    /// The end frames arrive at.
    public var destination: LinkSide { self == .aToB ? .b : .a }

    public var description: String { self == .aToB ? "A->B" : "B->A" }
}

/// A link together with one of its ends: what an interface is plugged into.
public struct LinkEnd {
    public let link: Link
    public let side: LinkSide

    public init(link: Link, side: LinkSide) {
        self.link = link
        self.side = side
    }
}
