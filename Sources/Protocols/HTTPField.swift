/// One field line: a name and a value, as received or to be sent (RFC 9110 §5).
public struct HTTPField: Sendable, Hashable, CustomStringConvertible {
    /// The field name, with its case preserved; names compare case-insensitively (RFC 9110 §5.1).
    public var name: String
    /// The field value without leading or trailing whitespace (RFC 9112 §5.1).
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// The field line as text, `name: value`.
    public var description: String { "\(name): \(value)" }
}
