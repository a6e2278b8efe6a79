/// Why a string is not a valid topic name or topic filter (§4.7).
public enum MQTTTopicProblem: Sendable, Hashable {
    /// Topic names and filters are at least one character long (§4.7.3).
    case empty
    /// Longer than the 65 535 octets a UTF-8 string field can hold (§1.5.3).
    case tooLong
    /// A `+` or `#` in a topic name, where wildcards are not allowed (§3.3.2.1, §4.7.1).
    case wildcardInName
    /// A `#` that is not the whole last level (§4.7.1.2).
    case misplacedMultiLevelWildcard
    /// A `+` that is not a whole level (§4.7.1.3).
    case misplacedSingleLevelWildcard
}

/// Topic names, topic filters and how filters match names (§4.7).
///
/// Levels are separated by `/`; empty levels are levels. `+` matches exactly one level, `#`
/// matches the parent level and any number of child levels. A filter starting with a wildcard
/// does not match a topic name starting with `$` (§4.7.2), so `#` does not see `$SYS/...`.
public enum MQTTTopic {
    /// Why `name` cannot be a topic name in PUBLISH (§3.3.2.1, §4.7.3), or nil when it can.
    public static func problem(name: String) -> MQTTTopicProblem? {
        if name.isEmpty { return .empty }
        if name.utf8.count > 0xFFFF { return .tooLong }
        if name.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") }) { return .wildcardInName }
        return nil
    }

    /// Why `filter` cannot be a topic filter in SUBSCRIBE or UNSUBSCRIBE (§4.7.1, §4.7.3), or
    /// nil when it can.
    public static func problem(filter: String) -> MQTTTopicProblem? {
        if filter.isEmpty { return .empty }
        if filter.utf8.count > 0xFFFF { return .tooLong }
        let levels = Self.levels(filter)
        for (index, level) in levels.enumerated() {
            if level.contains(UInt8(ascii: "#")) && (level != [UInt8(ascii: "#")] || index != levels.count - 1) {
                return .misplacedMultiLevelWildcard
            }
            if level.contains(UInt8(ascii: "+")) && level != [UInt8(ascii: "+")] {
                return .misplacedSingleLevelWildcard
            }
        }
        return nil
    }

    /// Whether the topic filter `filter` matches the topic name `name` (§4.7.1, §4.7.2).
    ///
    /// Both are assumed valid; an invalid pair just does not match.
    public static func matches(filter: String, name: String) -> Bool {
        let filterLevels = levels(filter)
        let nameLevels = levels(name)
        // §4.7.2: a leading wildcard never matches a `$` topic.
        if name.utf8.first == UInt8(ascii: "$"), let first = filterLevels.first,
           first == [UInt8(ascii: "+")] || first == [UInt8(ascii: "#")] {
            return false
        }
        for (index, level) in filterLevels.enumerated() {
            if level == [UInt8(ascii: "#")] { return true }  // this level and all below, or none
            guard index < nameLevels.count else { return false }
            if level != [UInt8(ascii: "+")] && level != nameLevels[index] { return false }
        }
        return filterLevels.count == nameLevels.count
    }

    /// The `/`-separated levels of a topic, as octets, empty levels included.
    private static func levels(_ topic: String) -> [[UInt8]] {
        topic.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map(Array.init)
    }
}
