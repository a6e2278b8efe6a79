import Tracing

/// Text from input (host and scenario names, narration, labels) made safe for the place it goes
/// in a page: HTML text and attribute values, or JSON inside a `<script>` element.
public enum HTMLEscape {
    /// `&`, `<`, `>`, `"` and `'` as character references, control characters as spaces: safe in
    /// HTML text, in a quoted attribute value, and in inline SVG.
    public static func text(_ text: String) -> String {
        xml(text)
    }

    /// The value as JSON that can sit inside `<script type="application/json">`: `<`, `>` and
    /// `&` are written as `\u003c`, `\u003e` and `\u0026` (so no `</script>`, `<!--` or
    /// character reference can appear), and U+2028 and U+2029 as escapes. These characters occur
    /// only inside JSON strings, where the escapes mean the same characters, so `JSON.parse`
    /// reads back exactly the value.
    public static func scriptJSON(_ value: JSONValue) -> String {
        let compact = value.compactText
        var out: [UInt8] = []
        out.reserveCapacity(compact.utf8.count + 64)
        let utf8 = Array(compact.utf8)
        var i = 0
        while i < utf8.count {
            let byte = utf8[i]
            switch byte {
            case UInt8(ascii: "<"): out += Array("\\u003c".utf8)
            case UInt8(ascii: ">"): out += Array("\\u003e".utf8)
            case UInt8(ascii: "&"): out += Array("\\u0026".utf8)
            case 0xE2 where i + 2 < utf8.count && utf8[i + 1] == 0x80 && (utf8[i + 2] == 0xA8 || utf8[i + 2] == 0xA9):
                out += Array((utf8[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                i += 2
            default: out.append(byte)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
