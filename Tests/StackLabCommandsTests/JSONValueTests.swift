import Simulation
import Testing
import Tracing

@Suite struct JSONSerializing {
    @Test func compactKeepsInsertionOrder() {
        let value: JSONValue = ["t_ns": 1_000, "event": "send", "flags": ["SYN", "ACK"], "ok": true, "none": nil]
        #expect(value.compactText == #"{"t_ns":1000,"event":"send","flags":["SYN","ACK"],"ok":true,"none":null}"#)
    }

    @Test func pretty() {
        let value: JSONValue = ["a": 1, "b": [], "c": [:], "d": [true, 2.5]]
        #expect(value.prettyText == """
            {
              "a": 1,
              "b": [],
              "c": {},
              "d": [
                true,
                2.5
              ]
            }
            """)
    }

    @Test func stringEscaping() {
        let value = JSONValue.string("q\" b\\ n\n r\r t\t b\u{8} f\u{C} nul\u{0} esc\u{1B} /é握😀")
        #expect(value.compactText == #""q\" b\\ n\n r\r t\t b\b f\f nul\u0000 esc\u001b /é握😀""#)
    }

    @Test func numbers() {
        #expect(JSONValue.int(.min).compactText == "-9223372036854775808")
        #expect(JSONValue.double(1).compactText == "1.0")
        #expect(JSONValue.double(1e-5).compactText == "1e-05")
        #expect(JSONValue.double(.nan).compactText == "null")
        #expect(JSONValue.double(.infinity).compactText == "null")
    }

    @Test func equalityIsOrdered() {
        let ab: JSONValue = ["a": 1, "b": 2]
        let ba: JSONValue = ["b": 2, "a": 1]
        #expect(ab != ba)
        #expect(ab == ["a": 1, "b": 2])
        #expect(JSONValue.int(1) != .double(1))
        #expect(ab["b"] == 2)
        #expect(ab["z"] == nil)
    }
}

@Suite struct JSONParsing {
    @Test func roundTrips() throws {
        let values: [JSONValue] = [
            nil, true, false, 0, -1, .int(.max), .int(.min), 0.5, -1.25e-7, 1e300, "", "é\u{0}\n😀",
            [], [:], [[[]]], ["k": ["x": [1, "2", nil]], "": ""],
        ]
        for value in values {
            #expect(try JSONValue(parsing: value.compactText) == value)
            #expect(try JSONValue(parsing: value.prettyText) == value)
        }
    }

    @Test func readsWhatOthersWrite() throws {
        let text = " {\"a\" : [1, 2.0, -0, 3e2, \"\\u00e9\\ud83d\\ude00\\/\"] ,\"b\":{}}\r\n"
        let value = try JSONValue(parsing: text)
        #expect(value == ["a": [1, 2.0, 0, 300.0, "é😀/"], "b": [:]])
    }

    @Test func bigIntegersBecomeDoubles() throws {
        #expect(try JSONValue(parsing: "9223372036854775807") == .int(.max))
        #expect(try JSONValue(parsing: "9223372036854775808") == .double(9223372036854775808))
        #expect(try JSONValue(parsing: "-9223372036854775808") == .int(.min))
    }

    private func error(_ text: String, parser: JSONParser = JSONParser()) -> String {
        do {
            _ = try parser.parse(text)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func errorsSayWhereAndWhatWasExpected() {
        #expect(error("{\n  \"a\": 1,\n  \"long_key_name\" 2\n}") == "line 3, column 19: expected ':' after object key")
        #expect(error("") == "line 1, column 1: expected a value")
        #expect(error("[1 2]") == "line 1, column 4: expected ',' or ']' after array element")
        #expect(error("{\"a\":1 \"b\":2}") == "line 1, column 8: expected ',' or '}' after object member")
        #expect(error("{\"a\":1,}") == "line 1, column 8: expected a string as object key")
        #expect(error("[1,]") == "line 1, column 4: expected a value")
        #expect(error("1 2") == "line 1, column 3: expected end of input after the JSON value")
        #expect(error("tru") == "line 1, column 1: expected 'true'")
        #expect(error("-") == "line 1, column 2: expected a digit after '-'")
        #expect(error("01") == "line 1, column 1: leading zeros are not allowed in numbers")
        #expect(error("1.") == "line 1, column 3: expected a digit after '.'")
        #expect(error("1e+") == "line 1, column 4: expected a digit in the exponent")
        #expect(error("1e999") == "line 1, column 1: number is out of range")
        #expect(error("\"abc") == "line 1, column 5: unterminated string: expected '\"' before the end of input")
        #expect(error("\"a\nb\"") == "line 1, column 3: control character U+000A in string must be escaped")
        #expect(error(#""\q""#).hasPrefix(#"line 1, column 2: invalid escape '\q' in string"#))
        #expect(error(#""\u12G4""#) == #"line 1, column 4: expected 4 hex digits after '\u'"#)
        #expect(error(#""\ud800x""#) == "line 1, column 2: unpaired surrogate U+D800 in string")
        #expect(error(#""\udc00""#) == "line 1, column 2: unpaired surrogate U+DC00 in string")
        #expect(error(#"{"a":1,"a":2}"#) == #"line 1, column 8: duplicate object key "a""#)
        #expect(error(#"{"a":1,"a":2}"#, parser: JSONParser(allowsDuplicateKeys: true)) == "no error")
        #expect(error("\u{FEFF}1") == "line 1, column 1: expected a value")
    }

    @Test func columnsCountCharactersNotBytes() {
        #expect(error("[\"é握\" 1]") == "line 1, column 7: expected ',' or ']' after array element")
    }

    @Test func invalidUTF8InStrings() throws {
        #expect(throws: JSONParseError.self) { try JSONParser().parse(bytes: [0x22, 0xFF, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONParser().parse(bytes: [0x22, 0xC0, 0x80, 0x22]) }  // overlong
        #expect(throws: JSONParseError.self) { try JSONParser().parse(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22]) }  // surrogate
        #expect(throws: JSONParseError.self) { try JSONParser().parse(bytes: [0x22, 0xE2, 0x82]) }  // truncated
        #expect(try JSONParser().parse(bytes: [0x22, 0xE2, 0x82, 0xAC, 0x22]) == "€")
    }

    @Test func depthIsLimited() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try JSONValue(parsing: ok).compactText == ok)
        #expect(error(String(repeating: "[", count: 65) + String(repeating: "]", count: 65))
            == "line 1, column 65: arrays and objects nested deeper than 64 levels")
        #expect(error(String(repeating: "{\"a\":", count: 100_000)).hasSuffix("nested deeper than 64 levels"))
        #expect(error(String(repeating: "[", count: 1_000_000)).hasSuffix("nested deeper than 64 levels"))
    }

    /// 100,000 seeded random inputs: the parser never traps, and whatever it accepts survives a
    /// round trip through both serializers.
    @Test func fuzz() throws {
        var random = SplitMix64(seed: 0x5EED_57AC_C1AB)
        let alphabet = Array("{}[]:,\"\\/ \n\t0123456789-+.eEtrufalsn\u{0}u".utf8) + [0x80, 0xC3, 0xA9, 0xFF, 0xED, 0xF0]
        let seeds = [
            #"{"t_ns":1000,"event":"send","seq":[1,2,3],"ok":true,"x":null,"s":"a\"\\\u00e9"}"#,
            #"[1,-2.5e3,{"a":{"b":[]}},"é😀",false]"#,
        ].map { Array($0.utf8) }
        var accepted = 0
        for round in 0..<100_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                let count = Int.random(in: 0...24, using: &random)
                bytes = (0..<count).map { _ in alphabet.randomElement(using: &random)! }
            } else {
                bytes = seeds[round % 4 / 2]
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: bytes[index] = alphabet.randomElement(using: &random)!
                    case 1: bytes.remove(at: index)
                    default: bytes.insert(alphabet.randomElement(using: &random)!, at: index)
                    }
                    if bytes.isEmpty { break }
                }
            }
            do {
                let value = try JSONParser().parse(bytes: bytes)
                accepted += 1
                #expect(try JSONValue(parsing: value.compactText) == value)
                #expect(try JSONValue(parsing: value.prettyText) == value)
            } catch {
                #expect(error.offset <= bytes.count)
                #expect(error.line >= 1 && error.column >= 1)
            }
        }
        // The mutations of valid documents must sometimes stay valid, or the round trip is untested.
        #expect(accepted > 1_000)
    }
}
