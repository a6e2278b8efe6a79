/// A request method: a case-sensitive token (RFC 9110 §9.1).
public struct HTTPMethod: Sendable, Hashable, CustomStringConvertible {
    /// The method token, e.g. `GET`.
    public let name: String

    /// A method named `name`, or nil unless `name` is a token (RFC 9110 §5.6.2).
    public init?(_ name: String) {
        guard HTTPSyntax.isToken(name) else { return nil }
        self.name = name
    }

    init(validated name: String) {
        self.name = name
    }

    public static let get = HTTPMethod(validated: "GET")
    public static let head = HTTPMethod(validated: "HEAD")
    public static let post = HTTPMethod(validated: "POST")
    public static let put = HTTPMethod(validated: "PUT")
    public static let delete = HTTPMethod(validated: "DELETE")
    public static let connect = HTTPMethod(validated: "CONNECT")
    public static let options = HTTPMethod(validated: "OPTIONS")
    public static let trace = HTTPMethod(validated: "TRACE")
    public static let patch = HTTPMethod(validated: "PATCH")

    /// Whether the method is safe, i.e. read-only: GET, HEAD, OPTIONS, TRACE (RFC 9110 §9.2.1).
    public var isSafe: Bool {
        self == .get || self == .head || self == .options || self == .trace
    }

    /// Whether repeating the request has the same effect as sending it once: the safe methods,
    /// PUT and DELETE (RFC 9110 §9.2.2). Only these may be retried or pipelined freely.
    public var isIdempotent: Bool {
        isSafe || self == .put || self == .delete
    }

    public var description: String { name }
}
