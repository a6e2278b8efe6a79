/// Something that happened to a frame on a link (or in a router): the unit of the link log.
public struct LinkEvent: Hashable, Sendable, CustomStringConvertible {
    /// When it happened.
    public var time: VirtualTime
    /// The link's name.
    public var link: String
    /// The direction the frame travels.
    public var direction: LinkDirection
    /// Per-link number of the frame, counting sends from 1 in both directions.
    public var frameID: UInt64
    /// The frame's length in bytes.
    public var frameLength: Int
    /// What happened.
    public var kind: Kind
    /// The frame's bytes (after corruption, for `corrupted`), so observers can say which packet it was.
    public var frame: [UInt8]

    public init(time: VirtualTime, link: String, direction: LinkDirection, frameID: UInt64,
                frameLength: Int, kind: Kind, frame: [UInt8] = []) {
        self.time = time
        self.link = link
        self.direction = direction
        self.frameID = frameID
        self.frameLength = frameLength
        self.kind = kind
        self.frame = frame
    }

    /// The kinds of link events.
    public enum Kind: Hashable, Sendable, CustomStringConvertible {
        /// A frame was handed to the link.
        case sent
        /// A frame (or a copy) reached the far end.
        case delivered
        /// A frame was dropped.
        case dropped(LinkDropReason)
        /// A frame will be delivered one extra time.
        case duplicated
        /// A frame was held back so that later frames may overtake it.
        case reordered
        /// One bit of the frame was flipped (`bit` counts from the first byte's most significant bit).
        case corrupted(bit: Int)

        public var description: String {
            switch self {
            case .sent: "sent"
            case .delivered: "delivered"
            case .dropped(let reason): "dropped(\(reason))"
            case .duplicated: "duplicated"
            case .reordered: "reordered"
            case .corrupted(let bit): "corrupted(bit \(bit))"
            }
        }
    }

    /// One line, integers only: `<ns> <link> <direction> #<id> <length>B <kind>`.
    public var description: String {
        "\(time.nanoseconds) \(link) \(direction) #\(frameID) \(frameLength)B \(kind)"
    }
}

/// Why a link dropped a frame.
public enum LinkDropReason: String, Hashable, Sendable, CustomStringConvertible {
    /// Independent random loss.
    case loss
    /// Loss in a Gilbert–Elliott burst.
    case burstLoss
    /// The direction's transmit queue was full (drop-tail).
    case queueFull
    /// The frame was larger than the link's MTU.
    case exceedsMTU
    /// The frame was sent or arrived while a scheduled partition was in force.
    case partitioned
    /// The frame was sent or arrived while the link was set down.
    case linkDown
    /// The scenario asked for this frame to be dropped (`Link.dropFrames(numbered:)`).
    case scripted

    public var description: String { rawValue }
}

/// Receives every link event of a world, in the order they happen.
public protocol LinkObserver: AnyObject {
    func record(_ event: LinkEvent)
    /// Whether the observer wants the routine events (`sent`, `delivered`, `reordered`) as well
    /// as drops, duplicates and corruption. Links read it when the observer is set, and skip
    /// building the per-frame events of an observer that would ignore them. Default: true.
    var recordsRoutineEvents: Bool { get }
}

extension LinkObserver {
    public var recordsRoutineEvents: Bool { true }
}

/// An observer that keeps every event in an array (for tests and traces).
public final class LinkEventLog: LinkObserver {
    public private(set) var events: [LinkEvent] = []

    public init() {}

    public func record(_ event: LinkEvent) {
        events.append(event)
    }

    /// The log as text, one event per line.
    public var text: String {
        events.map(\.description).joined(separator: "\n")
    }
}
