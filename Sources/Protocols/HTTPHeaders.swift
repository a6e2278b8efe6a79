/// A header or trailer section: field lines in the order received, names with their case kept.
///
/// Lookup by name ignores case (RFC 9110 §5.1) and returns every value in order, because a field
/// may appear several times (RFC 9110 §5.3). An array, not a dictionary, holds the fields, so
/// nothing depends on hashing order.
public struct HTTPHeaders: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral,
    CustomStringConvertible {
    /// The field lines, in order.
    public private(set) var fields: [HTTPField]

    /// An empty section.
    public init() {
        fields = []
    }

    /// A section holding `fields` in the given order.
    public init(_ fields: [HTTPField]) {
        self.fields = fields
    }

    /// A section holding `(name, value)` pairs in the given order.
    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { HTTPField(name: $0.0, value: $0.1) }
    }

    /// A section from a literal such as `["Host": "example.com", "Accept": "*/*"]`, in literal order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }

    public subscript(position: Int) -> HTTPField { fields[position] }

    /// Every value of the fields named `name` (any case), in order.
    public subscript(name: String) -> [String] {
        fields.filter { HTTPSyntax.equalsIgnoringCase($0.name, name) }.map(\.value)
    }

    /// The value of the first field named `name` (any case).
    public func first(name: String) -> String? {
        fields.first { HTTPSyntax.equalsIgnoringCase($0.name, name) }?.value
    }

    /// Whether a field named `name` (any case) is present.
    public func contains(name: String) -> Bool {
        fields.contains { HTTPSyntax.equalsIgnoringCase($0.name, name) }
    }

    /// The positions of the fields named `name` (any case), in order.
    public func indices(name: String) -> [Int] {
        fields.indices.filter { HTTPSyntax.equalsIgnoringCase(fields[$0].name, name) }
    }

    /// The comma-separated list elements of every field named `name`, trimmed, empty ones
    /// dropped (RFC 9110 §5.6.1): `Connection: keep-alive, Upgrade` gives both tokens.
    public func listElements(name: String) -> [String] {
        self[name].flatMap { HTTPSyntax.listElements($0).map(String.init) }
    }

    /// Whether `token` is an element of the list in the fields named `name`, ignoring case:
    /// `hasToken("close", in: "Connection")` (RFC 9110 §7.6.1).
    public func hasToken(_ token: String, in name: String) -> Bool {
        self[name].contains { value in
            HTTPSyntax.listElements(value).contains { HTTPSyntax.equalsIgnoringCase($0, token) }
        }
    }

    /// Appends a field line, keeping any existing fields of that name.
    public mutating func add(name: String, value: String) {
        fields.append(HTTPField(name: name, value: value))
    }

    /// Leaves exactly one field named `name`, with `value`: the first such field is replaced in
    /// place and later ones removed, or the field is appended if there was none.
    public mutating func replaceOrAdd(name: String, value: String) {
        guard let first = fields.firstIndex(where: { HTTPSyntax.equalsIgnoringCase($0.name, name) }) else {
            add(name: name, value: value)
            return
        }
        fields[first].value = value
        var index = fields.index(after: first)
        while index < fields.endIndex {
            if HTTPSyntax.equalsIgnoringCase(fields[index].name, name) {
                fields.remove(at: index)
            } else {
                index += 1
            }
        }
    }

    /// Removes every field named `name` (any case).
    public mutating func remove(name: String) {
        fields.removeAll { HTTPSyntax.equalsIgnoringCase($0.name, name) }
    }

    /// The field lines, one per line, as `name: value`.
    public var description: String {
        fields.map(\.description).joined(separator: "\n")
    }
}
