import Protocols

/// StackLab's small built-in web site, served by `serve http` in scenarios and by
/// `stacklab serve http` on loopback: a few pages, and `/echo`, which answers with the request
/// it was sent.
///
/// Every response is a function of the request alone: no `Date` field (RFC 9110 §6.6.1 lets a
/// server without a clock leave it out) and nothing random, so traces stay deterministic. The
/// pages are small enough that a response fits in one 1460-byte segment.
public struct WebSite: Sendable {
    /// One page: its path, media type and content.
    public struct Page: Sendable, Hashable {
        public var path: String
        public var contentType: String
        public var body: [UInt8]
    }

    public var pages: [Page]
    /// The `Server` field of every response (RFC 9110 §10.2.4).
    public var serverName: String

    public init(pages: [Page], serverName: String = "StackLab/0.1") {
        self.pages = pages
        self.serverName = serverName
    }

    /// The path that answers with the request itself.
    public static let echoPath = "/echo"

    /// `/` (also `/index.html`), `/style.css`, `/hello.txt`; and `/echo`.
    public static let builtIn = WebSite(pages: [
        Page(path: "/index.html", contentType: "text/html; charset=utf-8", body: Array("""
            <!DOCTYPE html>
            <html>
            <head><title>StackLab</title><link rel="stylesheet" href="/style.css"></head>
            <body>
            <h1>Hello from StackLab</h1>
            <p>This page travelled inside TCP segments inside IPv4 packets.
            Ask for <a href="/hello.txt">/hello.txt</a>, or for <a href="/echo">/echo</a>
            to see the request your client sent.</p>
            </body>
            </html>

            """.utf8)),
        Page(path: "/style.css", contentType: "text/css; charset=utf-8",
             body: Array("body { font-family: sans-serif; margin: 2em; }\nh1 { color: #2a6; }\n".utf8)),
        Page(path: "/hello.txt", contentType: "text/plain; charset=utf-8", body: Array("Hello, world!\n".utf8)),
    ])

    /// The page at `path` (`/` is `/index.html`; a query is ignored), if any.
    public func page(at path: String) -> Page? {
        let plain = String(path.prefix { $0 != "?" })
        let wanted = plain == "/" ? "/index.html" : plain
        return pages.first { $0.path == wanted }
    }

    /// The response to `request`: the page for GET and HEAD (the serializer leaves out a HEAD
    /// response's body), 405 with `Allow` for other methods (RFC 9110 §15.5.6), 404 for an
    /// unknown path, and for `/echo` (any method) the request as `text/plain`.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Server", value: serverName)
        if request.target.prefix(while: { $0 != "?" }) == Self.echoPath {
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            return HTTPResponse(status: 200, version: .http1_1, headers: headers, body: Self.echo(request))
        }
        guard let page = page(at: request.target) else {
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            return HTTPResponse(status: 404, version: .http1_1, headers: headers,
                                body: Array("404 Not Found: \(request.target)\n".utf8))
        }
        guard request.method == .get || request.method == .head else {
            headers.add(name: "Allow", value: "GET, HEAD")
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            return HTTPResponse(status: 405, version: .http1_1, headers: headers,
                                body: Array("405 Method Not Allowed: \(request.method)\n".utf8))
        }
        headers.add(name: "Content-Type", value: page.contentType)
        return HTTPResponse(status: 200, version: .http1_1, headers: headers, body: page.body)
    }

    /// The request as text: its request line, its fields in order, an empty line, its body.
    static func echo(_ request: HTTPRequest) -> [UInt8] {
        var text = "\(request.method) \(request.target) \(request.version)\r\n"
        for field in request.headers { text += "\(field.name): \(field.value)\r\n" }
        text += "\r\n"
        return Array(text.utf8) + request.body
    }
}
