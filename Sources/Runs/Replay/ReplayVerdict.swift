/// A replay's verdict: the comparison's, or that the kernel could not reproduce what was asked.
public enum ReplayVerdict: Hashable, Sendable {
    case match
    case matchWithEquivalences
    case mismatch
    /// The kernel cannot be made to do what the scenario asks (a race it always loses), and did not.
    case notReproducible(reason: String)

    /// `match`, `match_with_equivalences`, `mismatch`, `not_reproducible` (the JSON form).
    public var name: String {
        switch self {
        case .match: "match"
        case .matchWithEquivalences: "match_with_equivalences"
        case .mismatch: "mismatch"
        case .notReproducible: "not_reproducible"
        }
    }

    /// `match`, `match with equivalences`, `mismatch`, `not reproducible on the kernel`.
    public var text: String {
        switch self {
        case .match: "match"
        case .matchWithEquivalences: "match with equivalences"
        case .mismatch: "mismatch"
        case .notReproducible: "not reproducible on the kernel"
        }
    }

    public var isMismatch: Bool { self == .mismatch }
}
