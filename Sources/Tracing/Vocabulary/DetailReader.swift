/// Reads the words of an application event's detail, strictly: decimal numbers without signs or
/// leading zeros, exact keywords.
struct DetailReader {
    private var words: [Substring]
    private var index = 0

    init(_ detail: String) {
        words = detail.split(separator: " ", omittingEmptySubsequences: false)
        if detail.isEmpty { words = [] }
    }

    var isAtEnd: Bool { index == words.count }

    mutating func word() -> Substring? {
        guard index < words.count else { return nil }
        index += 1
        return words[index - 1]
    }

    /// The next word, without taking it.
    func peek() -> Substring? {
        index < words.count ? words[index] : nil
    }

    /// Takes the next word if it is `flag`; says whether it was.
    mutating func flag(_ flag: String) -> Bool {
        guard peek() == Substring(flag) else { return false }
        index += 1
        return true
    }

    /// A non-empty word (a topic, a key, a name), as written.
    mutating func text() -> String? {
        guard let word = word(), !word.isEmpty else { return nil }
        return String(word)
    }

    /// `KEYWORD WORD`: the word after `keyword`.
    mutating func text(after keyword: String) -> String? {
        guard word() == Substring(keyword) else { return nil }
        return text()
    }

    /// The remaining words joined by spaces (possibly empty).
    mutating func rest() -> String {
        defer { index = words.count }
        return words[index...].joined(separator: " ")
    }

    mutating func direction() -> ApplicationEvent.Direction? {
        word().flatMap { ApplicationEvent.Direction(rawValue: String($0)) }
    }

    private static func decimal(_ text: Substring) -> UInt64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              text == "0" || text.first != "0" else { return nil }
        return UInt64(text)
    }

    mutating func count() -> Int? {
        word().flatMap(Self.decimal).flatMap { $0 <= UInt64(Int.max) ? Int($0) : nil }
    }

    mutating func count(after keyword: String) -> Int? {
        guard word() == Substring(keyword) else { return nil }
        return count()
    }

    /// `#N`.
    mutating func id() -> Int? {
        guard let text = word(), text.first == "#", let value = Self.decimal(text.dropFirst()),
              value <= UInt64(Int.max) else { return nil }
        return Int(value)
    }

    /// `#N` as an unsigned 64-bit sequence number.
    mutating func sequence() -> UInt64? {
        guard let text = word(), text.first == "#" else { return nil }
        return Self.decimal(text.dropFirst())
    }

    /// `KEYWORD N ns`.
    mutating func nanoseconds(after keyword: String) -> Int64? {
        guard word() == Substring(keyword), let value = word().flatMap(Self.decimal), value <= UInt64(Int64.max),
              word() == "ns" else { return nil }
        return Int64(value)
    }

    /// `HTTP/D.D`.
    mutating func version() -> String? {
        guard let text = word(), text.utf8.count == 8, text.hasPrefix("HTTP/"),
              text.utf8.enumerated().allSatisfy({ offset, byte in
                  offset < 5 || (offset == 6 ? byte == 0x2E : byte >= 0x30 && byte <= 0x39)
              }) else { return nil }
        return String(text)
    }

    /// A three-digit status code, 100 to 999.
    mutating func status() -> Int? {
        guard let text = word(), text.utf8.count == 3, let value = Self.decimal(text), value >= 100 else { return nil }
        return Int(value)
    }

    /// `METHOD TARGET HTTP/D.D`: a method of visible characters, a non-empty target without spaces.
    mutating func requestLine() -> HTTPRequestLine? {
        guard let method = word(), !method.isEmpty, let target = word(), !target.isEmpty,
              let version = version() else { return nil }
        return HTTPRequestLine(method: String(method), target: String(target), version: version)
    }
}
