/// The scenario language: the text form of `Scenario` that users write and `stacklab run FILE.scn`
/// reads. (Placeholder: the full grammar, parser and printer are being written.)
public enum ScenarioLanguage {
    /// The scenario as text that `parse` reads back to an equal scenario.
    public static func format(_ scenario: Scenario) -> String {
        "# \(scenario.name): \(scenario.summary)\n"
    }

    /// Parses scenario text; errors name the file, line and column.
    public static func parse(_ text: String, file: String) throws(ScenarioSyntaxError) -> Scenario {
        throw ScenarioSyntaxError(file: file, line: 1, column: 1, message: "the scenario language is not available yet")
    }
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
