/// Free text (a topic, a client identifier, a chat name) as one word of an application event's
/// detail: spaces, control characters, `%` and every non-ASCII byte percent-encoded (RFC 3986
/// §2.1's form), so the detail still splits into words and reads back into the same event.
public enum TraceWord {
    /// `chat/room 1` → `chat/room%201`; the empty text is `-`, so the word is never empty.
    public static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            if byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "%") {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let digits = Array("0123456789ABCDEF")
                result += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
            }
        }
        // `-` stands for the empty text, so a text that is exactly `-` is written encoded.
        if result == "-" { return "%2D" }
        return result.isEmpty ? "-" : result
    }
}
