/// Text from an input file made safe for a terminal and for text formats: control characters
/// (C0, DEL, C1) and the Unicode controls that reorder or hide text (bidirectional overrides and
/// isolates, line and paragraph separators) are written as escapes (`\x1b`, `\u{202e}`), so a
/// crafted host name cannot move the cursor, retitle the window or hide text. Readers of trace
/// files apply it to every string they read; JSON and SVG writers escape as they always did.
///
/// The escaped form holds no such character, so escaping twice changes nothing.
public enum SafeText {
    /// Whether `scalar` is shown escaped.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// `text` with every unsafe character escaped; `text` itself when it has none.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if !isUnsafe(scalar) {
                out.unicodeScalars.append(scalar)
            } else if scalar.value < 0x100 {
                let hex = String(scalar.value, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" : "") + hex
            } else {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return out
    }

    /// Whether `scalar` is a control character proper (C0, DEL, C1): what a terminal acts on.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// The first control character (C0, DEL, C1) of `text` other than a tab, and its 1-based
    /// column, for readers that refuse them (the scenario language, lessons). Separators and
    /// bidirectional controls are allowed there: a lesson may hold right-to-left text.
    public static func firstControl(_ text: Substring) -> (scalar: Unicode.Scalar, column: Int)? {
        for (offset, scalar) in text.unicodeScalars.enumerated() where scalar != "\t" && isControl(scalar) {
            return (scalar, offset + 1)
        }
        return nil
    }

    /// `U+001B`: how error messages name a character.
    public static func name(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
