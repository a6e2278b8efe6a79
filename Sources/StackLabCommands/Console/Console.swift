/// One output stream (stdout or stderr) with what is known about it: whether it is a terminal
/// and whether colour may be used. The styling helpers return their input unchanged when colour
/// is off, so handlers style unconditionally.
public final class Console {
    public let sink: any TextSink
    public let isTerminal: Bool
    public let allowsColor: Bool

    public init(sink: any TextSink, isTerminal: Bool, allowsColor: Bool) {
        self.sink = sink
        self.isTerminal = isTerminal
        self.allowsColor = allowsColor
    }

    /// The width text is laid out to.
    public var width: Int { 80 }

    public func write(_ text: String) {
        sink.write(text)
    }

    /// Writes `line` and a newline.
    public func print(_ line: String = "") {
        sink.write(line + "\n")
    }

    // MARK: Styling (SGR escape sequences, ECMA-48)

    public enum Style: Sendable {
        case bold, dim, red, green, yellow, cyan

        var code: String {
            switch self {
            case .bold: return "1"
            case .dim: return "2"
            case .red: return "31"
            case .green: return "32"
            case .yellow: return "33"
            case .cyan: return "36"
            }
        }
    }

    public func style(_ text: String, _ styles: Style...) -> String {
        guard allowsColor, !styles.isEmpty, !text.isEmpty else { return text }
        return "\u{1B}[" + styles.map(\.code).joined(separator: ";") + "m" + text + "\u{1B}[0m"
    }

    public func bold(_ text: String) -> String { style(text, .bold) }
    public func dim(_ text: String) -> String { style(text, .dim) }
    public func red(_ text: String) -> String { style(text, .red) }
    public func green(_ text: String) -> String { style(text, .green) }
    public func yellow(_ text: String) -> String { style(text, .yellow) }
    public func cyan(_ text: String) -> String { style(text, .cyan) }

    /// Prints a table laid out to this console's width, with a bold header when colour is on.
    public func print(_ table: Table) {
        let lines = table.render(width: width)
        for (i, line) in lines.enumerated() {
            print(i == 0 && table.hasHeader ? bold(line) : line)
        }
    }
}

/// When colour is allowed: on a terminal, unless `NO_COLOR` is set to a non-empty value
/// (https://no-color.org) or `TERM` is `dumb`.
public enum ColorPolicy {
    public static func allowsColor(isTerminal: Bool, environment: [String: String]) -> Bool {
        guard isTerminal else { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return true
    }
}
