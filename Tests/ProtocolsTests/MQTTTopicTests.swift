import Protocols
import Testing

@Suite("MQTT topic names and filters (§4.7)")
struct MQTTTopicTests {
    /// The examples of §4.7.1.2, §4.7.1.3 and §4.7.2, and a few more edges: (filter, name, matches).
    static let table: [(String, String, Bool)] = [
        ("sport/tennis/player1/#", "sport/tennis/player1", true),
        ("sport/tennis/player1/#", "sport/tennis/player1/ranking", true),
        ("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true),
        ("sport/tennis/player1/#", "sport/tennis/player2", false),
        ("sport/#", "sport", true),
        ("sport/#", "sport/", true),
        ("sport/#", "sports", false),
        ("sport/tennis/+", "sport/tennis/player1", true),
        ("sport/tennis/+", "sport/tennis/player2", true),
        ("sport/tennis/+", "sport/tennis/player1/ranking", false),
        ("sport/tennis/+", "sport/tennis", false),
        ("sport/+", "sport", false),
        ("sport/+", "sport/", true),
        ("+/+", "/finance", true),
        ("/+", "/finance", true),
        ("+", "/finance", false),
        ("+", "sport", true),
        ("+/tennis/#", "sport/tennis", true),
        ("#", "sport/tennis/player1", true),
        ("#", "/", true),
        ("sport/tennis", "Sport/Tennis", false),            // case-sensitive (§4.7.3)
        ("sport/tennis", "sport/tennis", true),
        ("sport//tennis", "sport/tennis", false),           // empty levels are levels
        // §4.7.2: wildcards at the first level do not match `$` topics.
        ("#", "$SYS/broker/clients", false),
        ("+/monitor/Clients", "$SYS/monitor/Clients", false),
        ("+", "$SYS", false),
        ("$SYS/#", "$SYS/monitor/Clients", true),
        ("$SYS/monitor/+", "$SYS/monitor/Clients", true),
        ("$SYS/#", "$SYS", true),
        ("sport/#", "sport/$weird", true),                  // `$` matters at the first level only
    ]

    @Test func matchingTable() {
        for (filter, name, expected) in Self.table {
            #expect(MQTTTopic.matches(filter: filter, name: name) == expected, "\(filter) vs \(name)")
            #expect(MQTTTopic.problem(filter: filter) == nil, "\(filter)")
            #expect(MQTTTopic.problem(name: name) == nil, "\(name)")
        }
    }

    @Test func filterValidation() {
        let cases: [(String, MQTTTopicProblem?)] = [
            ("#", nil), ("+", nil), ("sport/#", nil), ("+/tennis/#", nil), ("sport/+/player1", nil), ("/", nil),
            ("+/+", nil), ("", .empty), (String(repeating: "a", count: 65536), .tooLong),
            ("sport/tennis#", .misplacedMultiLevelWildcard), ("sport/tennis/#/ranking", .misplacedMultiLevelWildcard),
            ("##", .misplacedMultiLevelWildcard), ("#/", .misplacedMultiLevelWildcard),
            ("sport+", .misplacedSingleLevelWildcard), ("sport/+tennis", .misplacedSingleLevelWildcard),
            ("++", .misplacedSingleLevelWildcard),
        ]
        for (filter, problem) in cases {
            #expect(MQTTTopic.problem(filter: filter) == problem, "\(filter.prefix(30))")
        }
    }

    @Test func nameValidation() {
        let cases: [(String, MQTTTopicProblem?)] = [
            ("sport/tennis", nil), ("/", nil), ("$SYS/uptime", nil), ("ü/€", nil),
            ("", .empty), ("sport/+", .wildcardInName), ("#", .wildcardInName), ("a+b", .wildcardInName),
            (String(repeating: "a", count: 65536), .tooLong),
        ]
        for (name, problem) in cases {
            #expect(MQTTTopic.problem(name: name) == problem, "\(name.prefix(30))")
        }
    }
}
