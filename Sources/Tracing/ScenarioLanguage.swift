/// The scenario language: the text form of `Scenario` that users write and `stacklab run FILE.scn`
/// reads. The grammar, one statement per line (`#` starts a comment outside quotes):
///
///     scenario NAME ["SUMMARY"]               required, first statement
///     seed N                                  default 1
///     profile textbook|linux                  default textbook
///     hosts NAME...                           required, once
///     link [rtt D] [jitter D] [bandwidth B] [loss P [from HOST]] [duplicate P] [reorder P] [corrupt P]
///          [mtu N] [queue N]
///     link partition D..D                     cable out during [from, to)
///     link HOST loss P | partition D..D       that host's own link (its loss replaces the link's)
///     time-limit D                            default 24h (86400s)
///     at D [HOST] OPERATION                   at a virtual time
///     on EVENT[+D] HOST OPERATION             on a socket event of HOST, optionally delayed
///     on received N[+D] HOST OPERATION        once a connection of HOST has received N bytes
///
/// Operations: `listen PORT [backlog N] [echo]`, `connect HOST:PORT [from PORT]`, `send BYTES|forever`,
/// `shutdown`, `close`, `abort` (`SO_LINGER` 0), `nodelay [on|off]`, `quickack [on|off]`, `rcvbuf BYTES`, `sndbuf BYTES`, `linger 0`, `pause-reading`,
/// `resume-reading`, `udp bind PORT [echo]`, `udp connect HOST:PORT`,
/// `udp send HOST:PORT count N size BYTES [interval D]`, `link up`, `link down` (the host of a
/// `link` step may be left out: it is then the first host); the applications' operations are in
/// `ScenarioParser+Applications.swift` and `ScenarioParser+Chat.swift`. Events: `connected`,
/// `accepted`, `peer-finished`, `closed`, `error`.
///
/// Durations `D` are `0` or a decimal with a unit `ns`, `us`, `ms`, `s` (`1.5s`, `250us`);
/// probabilities `P` are percentages (`1%`, `0.25%`), parts per million (`500ppm`) or plain
/// fractions (`0.01`); bandwidths `B` are bits per second with an optional `k`, `m` or `g`
/// (powers of 1000) and an optional `bit` or `bps` (`10mbit`, `1.5g`, `64000`). Decimals are
/// parsed by hand into integer nanoseconds, ppm and bit/s: a value that is not a whole number
/// of those (`0.5ns`) is an error, never a rounding.
public enum ScenarioLanguage {
    /// The scenario as text that `parse` reads back to an equal scenario.
    public static func format(_ scenario: Scenario) -> String {
        ScenarioPrinter.format(scenario)
    }

    /// Parses scenario text; errors name the file, line and column.
    public static func parse(_ text: String, file: String) throws(ScenarioSyntaxError) -> Scenario {
        var parser = ScenarioParser(file: file)
        return try parser.parse(text)
    }

    /// Names that cannot be host names because a step could not tell them from a keyword.
    static let reservedHostNames: Set<String> = ["link", "at", "on"]
    public static let defaultTimeLimit: Int64 = 86_400 * 1_000_000_000
    static let defaultBacklog = 128
}

/// A mistake in a scenario file, with where it is.
public struct ScenarioSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, the form compilers use.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}
