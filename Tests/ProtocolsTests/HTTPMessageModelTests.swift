import Protocols
import Testing

@Suite("HTTP message model")
struct HTTPMessageModelTests {
    @Test func headersKeepOrderAndCaseAndLookUpWithoutCase() {
        var headers: HTTPHeaders = ["Host": "a", "Set-Cookie": "x=1", "Accept": "*/*", "set-cookie": "y=2"]
        #expect(headers.map(\.name) == ["Host", "Set-Cookie", "Accept", "set-cookie"])
        #expect(headers["SET-COOKIE"] == ["x=1", "y=2"])
        #expect(headers.first(name: "set-cookie") == "x=1")
        #expect(headers.contains(name: "ACCEPT"))
        #expect(!headers.contains(name: "Accept-Encoding"))
        #expect(headers.indices(name: "Set-Cookie") == [1, 3])

        headers.replaceOrAdd(name: "SET-cookie", value: "z=3")
        #expect(headers.fields == [HTTPField(name: "Host", value: "a"), HTTPField(name: "Set-Cookie", value: "z=3"),
                                   HTTPField(name: "Accept", value: "*/*")])
        headers.replaceOrAdd(name: "Via", value: "1.1 proxy")
        #expect(headers.last == HTTPField(name: "Via", value: "1.1 proxy"))
        headers.remove(name: "host")
        #expect(headers.map(\.name) == ["Set-Cookie", "Accept", "Via"])
        headers.add(name: "Accept", value: "text/html")
        #expect(headers["accept"] == ["*/*", "text/html"])
    }

    /// Equality is exact: same fields, same order, same case.
    @Test func headersEqualityIsOrderAndCaseSensitive() {
        let ab: HTTPHeaders = ["A": "1", "B": "2"]
        #expect(ab == HTTPHeaders([("A", "1"), ("B", "2")]))
        #expect(ab != ["B": "2", "A": "1"])
        #expect(ab != ["a": "1", "B": "2"])
    }

    /// Comma lists (RFC 9110 §5.6.1): elements trimmed, empty ones dropped, tokens matched without case.
    @Test func listElementsAndTokens() {
        let headers: HTTPHeaders = ["Connection": " , Keep-Alive ,, Upgrade", "connection": "TE", "X": "closed"]
        #expect(headers.listElements(name: "connection") == ["Keep-Alive", "Upgrade", "TE"])
        #expect(headers.hasToken("keep-alive", in: "Connection"))
        #expect(headers.hasToken("te", in: "CONNECTION"))
        #expect(!headers.hasToken("close", in: "Connection"))
        #expect(!headers.hasToken("close", in: "X"))
    }

    /// RFC 9110 §9.1: methods are case-sensitive tokens; §9.2.1-§9.2.2: safe and idempotent ones.
    @Test func methods() {
        #expect(HTTPMethod("PROPFIND")?.name == "PROPFIND")
        #expect(HTTPMethod("get") != .get)
        #expect(HTTPMethod("GE T") == nil)
        #expect(HTTPMethod("") == nil)
        #expect([HTTPMethod.get, .head, .options, .trace].allSatisfy { $0.isSafe })
        #expect(![HTTPMethod.post, .put, .delete, .patch].contains { $0.isSafe })
        #expect([HTTPMethod.put, .delete, .get].allSatisfy { $0.isIdempotent })
        #expect(![HTTPMethod.post, .patch, .connect].contains { $0.isIdempotent })
    }

    /// RFC 9112 §9.3: persistence from version and Connection options.
    @Test(arguments: [
        (HTTPVersion.http1_0, [String](), false),
        (.http1_0, ["keep-alive"], true),
        (.http1_0, ["Keep-Alive"], true),
        (.http1_0, ["keep-alive, close"], false),
        (.http1_1, [], true),
        (.http1_1, ["close"], false),
        (.http1_1, ["Upgrade, CLOSE"], false),
        (.http1_1, ["upgrade", "Close"], false),
        (.http1_1, ["closed"], true),
    ])
    func persistence(version: HTTPVersion, connection: [String], persists: Bool) {
        let headers = HTTPHeaders(connection.map { ("Connection", $0) })
        #expect(HTTPPersistence.persists(version: version, headers: headers) == persists)
        #expect(HTTPRequest(target: "/", version: version, headers: headers).keepsConnectionAlive == persists)
        #expect(HTTPResponse(status: 200, version: version, headers: headers).keepsConnectionAlive == persists)
    }

    @Test func responseDefaultsAndClasses() {
        #expect(HTTPResponse(status: 404).reason == "Not Found")
        #expect(HTTPResponse(status: 431).reason == "Request Header Fields Too Large")
        #expect(HTTPResponse(status: 299).reason == "")
        #expect(HTTPResponse(status: 103).isInformational)
        #expect(HTTPResponse(status: 304).statusForbidsBody)
        #expect(!HTTPResponse(status: 200).statusForbidsBody)
        #expect(HTTPVersion.http1_0.description == "HTTP/1.0")
    }

    /// Upgrade needs HTTP/1.1, an Upgrade field and the upgrade connection option (RFC 9110 §7.8).
    @Test func upgradeRequests() {
        let fields: HTTPHeaders = ["Host": "a", "Upgrade": "websocket", "Connection": "Upgrade"]
        #expect(HTTPRequest(target: "/", headers: fields).isUpgradeRequest)
        #expect(!HTTPRequest(target: "/", version: .http1_0, headers: fields).isUpgradeRequest)
        #expect(!HTTPRequest(target: "/", headers: ["Host": "a", "Upgrade": "websocket"]).isUpgradeRequest)
    }

    /// The error renders its location; detection and rendering are separate.
    @Test func parseErrorDescriptionAndStatus() {
        let error = HTTPParseError(kind: .conflictingContentLength, offset: 45, field: "Content-Length")
        #expect(error.description == "offset 45, Content-Length: conflicting lengths (400)")
        #expect(HTTPParseError(kind: .targetTooLong, offset: 0, field: "request target").status == 414)
        #expect(HTTPParseError(kind: .tooManyFields, offset: 0, field: "header section").status == 431)
        #expect(HTTPParseError(kind: .unsupportedTransferCoding, offset: 0, field: "x").status == 501)
    }
}
