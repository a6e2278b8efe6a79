import Tracing

/// One self-contained web page: inline CSS, inline JavaScript, the page's data as JSON in a
/// `<script type="application/json">` element, and a Content Security Policy that lets the page
/// load nothing at all (no script, style, font, image or connection from anywhere), so it works
/// from `file://` on a machine with no network and cannot leak a request by mistake.
public struct HTMLDocument: Sendable {
    /// The page title (escaped here).
    public var title: String
    /// The `lang` attribute of `<html>`: `en`, `zh-Hans`.
    public var language: String
    public var style: String
    /// The body's markup, already escaped by whoever built it.
    public var body: String
    /// The id of the data element the script reads.
    public var dataID: String
    public var data: JSONValue
    public var script: String

    public init(title: String, language: String, style: String, body: String, dataID: String, data: JSONValue,
                script: String) {
        self.title = title
        self.language = language
        self.style = style
        self.body = body
        self.dataID = dataID
        self.data = data
        self.script = script
    }

    /// Nothing may be fetched; inline style and script run; the icon is an empty data URL (else a
    /// browser asks the server for `/favicon.ico`).
    public static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
        + "img-src data:; base-uri 'none'; form-action 'none'"

    public func render() -> String {
        var out = "<!DOCTYPE html>\n"
        out += "<html lang=\"\(HTMLEscape.text(language))\">\n<head>\n<meta charset=\"utf-8\">\n"
        let policy = HTMLEscape.text(Self.contentSecurityPolicy)
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(policy)\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"generator\" content=\"StackLab\">\n"
        out += "<link rel=\"icon\" href=\"data:,\">\n"
        out += "<title>\(HTMLEscape.text(title))</title>\n"
        out += "<style>\n\(style)</style>\n</head>\n<body>\n"
        out += body
        out += "<script type=\"application/json\" id=\"\(HTMLEscape.text(dataID))\">"
        out += HTMLEscape.scriptJSON(data)
        out += "</script>\n<script>\n\(script)</script>\n</body>\n</html>\n"
        return out
    }
}
