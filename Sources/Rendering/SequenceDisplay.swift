/// How sequence and acknowledgment numbers are written in diagrams and lesson panels.
///
/// - `relative`: counted from each side's initial sequence number (ISN), so a SYN is `seq=0`
///   on both sides (Wireshark's default).
/// - `absolute`: the 32-bit numbers as they are on the wire.
/// - `symbolic`: as textbooks write them: the ISN of the side that opened first is `x`, the
///   other side's `y`, and later numbers are `x+1`, `y+1461`.
public enum SequenceDisplay: String, CaseIterable, Hashable, Sendable {
    case relative, absolute, symbolic

    /// The names the command line and lesson headers accept.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// `value` written against `isn`, the initial sequence number of the side that numbers it,
    /// whose textbook name is `symbol` (`x` or `y`).
    public func text(_ value: UInt32, isn: UInt32, symbol: String) -> String {
        switch self {
        case .absolute:
            return "\(value)"
        case .relative:
            return "\(value &- isn)"
        case .symbolic:
            let offset = value &- isn
            if offset == 0 { return symbol }
            if offset < 1 << 31 { return "\(symbol)+\(offset)" }
            return "\(symbol)-\(isn &- value)"
        }
    }
}
