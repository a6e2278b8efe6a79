/// Something the trace notes that is neither a packet, a state nor a call: the cable unplugged, a
/// bit flipped on the way, a segment for a port nobody listens on, the run's time limit.
///
/// Only this type turns a note into text and back; text no case knows is kept as `.text`.
public enum TraceNote: Hashable, Sendable, CustomStringConvertible {
    /// The scenario unplugged the cable (`link down`).
    case linkDown
    /// The scenario plugged it back (`link up`).
    case linkUp
    /// A link flipped one bit of a frame (bits counted from the first byte's most significant bit).
    case bitFlipped(bit: Int, link: String)
    /// A TCP segment for a port with no socket: RFC 9293 §3.10.7.1 answers with a RST.
    case noTCPSocket(port: UInt16)
    /// A UDP datagram for a port with no socket: RFC 1122 §4.1.3.1 answers with ICMP port unreachable.
    case noUDPSocket(port: UInt16)
    /// The scenario's time limit ended the run, with the long connections still open then.
    case timeLimitReached(limit: String, stillOpen: [String])
    /// Free text.
    case text(String)

    public var description: String {
        switch self {
        case .linkDown: "link down"
        case .linkUp: "link up"
        case .bitFlipped(let bit, let link): "bit \(bit) flipped on \(link)"
        case .noTCPSocket(let port): "no socket for port \(port): reset"
        case .noUDPSocket(let port): "no socket for UDP port \(port): ICMP port unreachable"
        case .timeLimitReached(let limit, let open):
            "time limit \(limit) reached, the run stops; "
                + (open.isEmpty ? "no long connection is open" : "long connections still open: " + open.joined(separator: ", "))
        case .text(let text): text
        }
    }

    /// The note `text` describes (`.text` when no case has that form).
    public init(text: String) {
        func number<T: FixedWidthInteger>(_ text: Substring) -> T? { T(text) }
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        if text == "link down" {
            self = .linkDown
        } else if text == "link up" {
            self = .linkUp
        } else if words.count == 5, words[0] == "bit", words[2] == "flipped", words[3] == "on",
                  let bit: Int = number(words[1]) {
            self = .bitFlipped(bit: bit, link: String(words[4]))
        } else if text.hasPrefix("no socket for port "), text.hasSuffix(": reset"),
                  let port: UInt16 = number(text.dropFirst(19).dropLast(7)) {
            self = .noTCPSocket(port: port)
        } else if text.hasPrefix("no socket for UDP port "), text.hasSuffix(": ICMP port unreachable"),
                  let port: UInt16 = number(text.dropFirst(23).dropLast(23)) {
            self = .noUDPSocket(port: port)
        } else if text.hasPrefix("time limit "), let cut = text.firstRange(of: " reached, the run stops; ") {
            let limit = String(text[text.index(text.startIndex, offsetBy: 11)..<cut.lowerBound])
            let rest = text[cut.upperBound...]
            let prefix = "long connections still open: "
            if rest == "no long connection is open" {
                self = .timeLimitReached(limit: limit, stillOpen: [])
            } else if rest.hasPrefix(prefix) {
                self = .timeLimitReached(limit: limit,
                                         stillOpen: rest.dropFirst(prefix.count).split(separator: ", ").map(String.init))
            } else {
                self = .text(text)
            }
        } else {
            self = .text(text)
        }
    }
}
