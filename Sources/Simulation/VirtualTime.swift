/// A span of virtual time in integer nanoseconds.
///
/// Simulated code never reads a wall clock: every duration and instant is one of these integers,
/// so a run is the same on any machine (DESIGN.md, determinism rules).
public struct VirtualDuration: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public static let zero = VirtualDuration(nanoseconds: 0)

    public static func nanoseconds(_ value: Int64) -> VirtualDuration { VirtualDuration(nanoseconds: value) }
    public static func microseconds(_ value: Int64) -> VirtualDuration { VirtualDuration(nanoseconds: value * 1_000) }
    public static func milliseconds(_ value: Int64) -> VirtualDuration { VirtualDuration(nanoseconds: value * 1_000_000) }
    public static func seconds(_ value: Int64) -> VirtualDuration { VirtualDuration(nanoseconds: value * 1_000_000_000) }

    public static func + (lhs: VirtualDuration, rhs: VirtualDuration) -> VirtualDuration {
        VirtualDuration(nanoseconds: lhs.nanoseconds + rhs.nanoseconds)
    }
    public static func - (lhs: VirtualDuration, rhs: VirtualDuration) -> VirtualDuration {
        VirtualDuration(nanoseconds: lhs.nanoseconds - rhs.nanoseconds)
    }
    public static func * (lhs: VirtualDuration, rhs: Int64) -> VirtualDuration {
        VirtualDuration(nanoseconds: lhs.nanoseconds * rhs)
    }
    public static func / (lhs: VirtualDuration, rhs: Int64) -> VirtualDuration {
        VirtualDuration(nanoseconds: lhs.nanoseconds / rhs)
    }
    public static func < (lhs: VirtualDuration, rhs: VirtualDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Seconds with microsecond precision, e.g. `1.500000s`; for display only.
    public var description: String { VirtualTime.format(nanoseconds) + "s" }
}

/// An instant of virtual time: nanoseconds since the simulation started.
public struct VirtualTime: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public static let zero = VirtualTime(nanoseconds: 0)

    public static func + (lhs: VirtualTime, rhs: VirtualDuration) -> VirtualTime {
        VirtualTime(nanoseconds: lhs.nanoseconds + rhs.nanoseconds)
    }
    public static func - (lhs: VirtualTime, rhs: VirtualDuration) -> VirtualTime {
        VirtualTime(nanoseconds: lhs.nanoseconds - rhs.nanoseconds)
    }
    public static func - (lhs: VirtualTime, rhs: VirtualTime) -> VirtualDuration {
        VirtualDuration(nanoseconds: lhs.nanoseconds - rhs.nanoseconds)
    }
    public static func < (lhs: VirtualTime, rhs: VirtualTime) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Seconds with microsecond precision, e.g. `0.010000`; for display only.
    public var description: String { VirtualTime.format(nanoseconds) }

    /// Integer formatting of nanoseconds as seconds with six decimals (no floating point).
    static func format(_ nanoseconds: Int64) -> String {
        let sign = nanoseconds < 0 ? "-" : ""
        let magnitude = nanoseconds.magnitude
        let micros = magnitude / 1_000
        let fraction = String(micros % 1_000_000)
        return sign + String(micros / 1_000_000) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
