import Protocols
import Simulation
import Testing

@Suite("WebSocket frames (RFC 6455 §5)")
struct WebSocketFrameTests {
    /// The masking key of RFC 6455 §5.7's examples.
    private let rfcKey = WebSocketMaskingKey(0x37, 0xFA, 0x21, 0x3D)
    private let hello = Array("Hello".utf8)

    /// Parses a whole stream as the endpoint of `role` receives it.
    private func parse(_ bytes: [UInt8], as role: WebSocketRole) throws(WebSocketProtocolError) -> [WebSocketFrame] {
        var parser = WebSocketFrameParser(role: role, maxFramePayload: 1 << 17, maxMessageSize: 1 << 17)
        return try parser.parse(bytes)
    }

    // MARK: - RFC 6455 §5.7, byte for byte

    @Test func singleFrameUnmaskedText() throws {
        let bytes: [UInt8] = [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F]
        let frame = WebSocketFrame(opcode: .text, payload: hello)
        #expect(frame.encoded() == bytes)
        #expect(try parse(bytes, as: .client) == [frame])
    }

    @Test func singleFrameMaskedText() throws {
        let bytes: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        let frame = WebSocketFrame(opcode: .text, maskingKey: rfcKey, payload: hello)
        #expect(frame.encoded() == bytes)
        #expect(try parse(bytes, as: .server) == [frame])
        #expect(rfcKey.applied(to: [0x7F, 0x9F, 0x4D, 0x51, 0x58]) == hello)
    }

    @Test func fragmentedUnmaskedText() throws {
        let first: [UInt8] = [0x01, 0x03, 0x48, 0x65, 0x6C]
        let second: [UInt8] = [0x80, 0x02, 0x6C, 0x6F]
        let frames = [WebSocketFrame(fin: false, opcode: .text, payload: Array("Hel".utf8)),
                      WebSocketFrame(opcode: .continuation, payload: Array("lo".utf8))]
        #expect(frames.map { $0.encoded() } == [first, second])
        #expect(try parse(first + second, as: .client) == frames)
    }

    @Test func pingAndMaskedPong() throws {
        let ping: [UInt8] = [0x89, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F]
        let pong: [UInt8] = [0x8A, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        #expect(WebSocketFrame(opcode: .ping, payload: hello).encoded() == ping)
        #expect(WebSocketFrame(opcode: .pong, maskingKey: rfcKey, payload: hello).encoded() == pong)
        #expect(try parse(ping, as: .client) == [WebSocketFrame(opcode: .ping, payload: hello)])
        #expect(try parse(pong, as: .server) == [WebSocketFrame(opcode: .pong, maskingKey: rfcKey, payload: hello)])
    }

    @Test func binary256And65536ByteHeaders() throws {
        let small = (0..<256).map { UInt8(truncatingIfNeeded: $0) }
        let smallBytes = WebSocketFrame(opcode: .binary, payload: small).encoded()
        #expect(Array(smallBytes.prefix(4)) == [0x82, 0x7E, 0x01, 0x00])
        #expect(smallBytes.count == 4 + 256)
        #expect(try parse(smallBytes, as: .client) == [WebSocketFrame(opcode: .binary, payload: small)])

        let large = (0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let largeBytes = WebSocketFrame(opcode: .binary, payload: large).encoded()
        #expect(Array(largeBytes.prefix(10)) == [0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00])
        #expect(largeBytes.count == 10 + 65536)
        #expect(try parse(largeBytes, as: .client) == [WebSocketFrame(opcode: .binary, payload: large)])
    }

    // MARK: - Round trips

    /// Every opcode that can stand alone, at every length class, masked (client to server) and
    /// unmasked (server to client), with the minimal header each time.
    @Test(arguments: [0, 1, 125, 126, 65535, 65536])
    func roundTripEveryOpcodeAndLengthClass(length: Int) throws {
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }
        let headerLength = length <= 125 ? 2 : length <= 65535 ? 4 : 10
        let opcodes: [WebSocketOpcode] = length <= 125 ? [.text, .binary, .close, .ping, .pong] : [.text, .binary]
        for opcode in opcodes {
            // Text and close bodies must be valid: use ASCII, and a valid code for close.
            let isBinary = opcode == .binary || opcode == .ping || opcode == .pong
            var body = isBinary ? payload : payload.map { $0 & 0x3F | 0x40 }
            if opcode == .close && length >= 2 { body[0] = 0x03; body[1] = 0xE8 }  // 1000
            if opcode == .close && length == 1 { continue }  // a 1-byte close body is an error
            for key in [nil, WebSocketMaskingKey(0xDEAD_BEEF)] {
                let frame = WebSocketFrame(opcode: opcode, maskingKey: key, payload: body)
                let bytes = frame.encoded()
                #expect(bytes.count == headerLength + (key == nil ? 0 : 4) + length, "\(opcode) \(length)")
                #expect(WebSocketFrame.headerLength(payloadLength: length, masked: key != nil) == bytes.count - length)
                #expect(try parse(bytes, as: key == nil ? .client : .server) == [frame], "\(opcode) \(length)")
            }
        }
    }

    /// Continuation frames round-trip after a start, at every length class.
    @Test func roundTripContinuations() throws {
        var frames = [WebSocketFrame(fin: false, opcode: .binary, payload: [1, 2, 3])]
        for length in [0, 125, 126, 65535] {
            let payload = [UInt8](repeating: 9, count: length)
            frames.append(WebSocketFrame(fin: false, opcode: .continuation, payload: payload))
        }
        frames.append(WebSocketFrame(opcode: .continuation, payload: [UInt8](repeating: 8, count: 65536)))
        let bytes = frames.flatMap { $0.encoded() }
        var parser = WebSocketFrameParser(role: .client, maxFramePayload: 1 << 17, maxMessageSize: 1 << 18)
        #expect(try parser.parse(bytes) == frames)
    }

    @Test func reservedOpcodesKeepTheirValue() {
        for raw: UInt8 in 0...15 {
            let opcode = WebSocketOpcode(rawValue: raw)
            #expect(opcode.rawValue == raw)
            #expect(opcode.isControl == (raw >= 8))
            let reserved = (3...7).contains(raw) || raw >= 0xB
            #expect((opcode == .reserved(raw)) == reserved)
        }
    }

    /// The RSV bits and a masking key are written where §5.2 puts them.
    @Test func headerBitsAndMaskAreEncoded() {
        let frame = WebSocketFrame(fin: false, rsv1: true, rsv2: false, rsv3: true, opcode: .binary,
                                   maskingKey: WebSocketMaskingKey(1, 2, 3, 4), payload: [0, 0, 0, 0, 0])
        #expect(frame.encoded() == [0x52, 0x85, 1, 2, 3, 4, 1, 2, 3, 4, 1])
    }

    /// A longer length encoding than needed is accepted on receipt (only senders must be minimal).
    @Test func nonMinimalLengthsAreAccepted() throws {
        let sixteen: [UInt8] = [0x82, 0x7E, 0x00, 0x03, 1, 2, 3]
        let sixtyFour: [UInt8] = [0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0, 0x02, 4, 5]
        #expect(try parse(sixteen + sixtyFour, as: .client)
            == [WebSocketFrame(opcode: .binary, payload: [1, 2, 3]), WebSocketFrame(opcode: .binary, payload: [4, 5])])
    }

    /// A stream of many frames gives the same frames whole, byte by byte and in random chunks.
    @Test func splitFeedingGivesTheSameFrames() {
        var frames: [WebSocketFrame] = []
        var generator = SeededGenerator(seed: 6455)
        for index in 0..<40 {
            let length = Int(generator.uniform(0...300))
            let key = WebSocketMaskingKey(UInt32(truncatingIfNeeded: generator.next()))
            switch index % 4 {
            case 0:
                let payload = (0..<length).map { UInt8($0 & 0xFF) }
                frames.append(WebSocketFrame(opcode: .binary, maskingKey: key, payload: payload))
            case 1:
                let payload = Array(String(repeating: "é", count: length).utf8)
                frames.append(WebSocketFrame(opcode: .text, maskingKey: key, payload: payload))
            case 2:
                let payload = [UInt8](repeating: 1, count: length % 126)
                frames.append(WebSocketFrame(opcode: .ping, maskingKey: key, payload: payload))
            default:
                frames.append(WebSocketFrame(fin: false, opcode: .text, maskingKey: key, payload: [0xE2, 0x82]))
                frames.append(WebSocketFrame(opcode: .pong, maskingKey: key, payload: []))
                frames.append(WebSocketFrame(opcode: .continuation, maskingKey: key, payload: [0xAC]))
            }
        }
        let bytes = frames.flatMap { $0.encoded() }
        let parsed = SplitFeed.sameForEveryFeed(bytes) { pieces -> [WebSocketFrame] in
            var parser = WebSocketFrameParser(role: .server)
            var out: [WebSocketFrame] = []
            for piece in pieces { out += (try? parser.parse(piece)) ?? [] }
            return out
        }
        #expect(parsed == frames)
    }

    @Test func closeFrameBody() {
        let frame = WebSocketFrame.close(code: .goingAway, reason: "bye")
        #expect(frame.encoded() == [0x88, 0x05, 0x03, 0xE9, 0x62, 0x79, 0x65])
        #expect(frame.closeCode == .goingAway)
        #expect(frame.closeReason == "bye")
        #expect(WebSocketFrame.close(code: nil).encoded() == [0x88, 0x00])
        #expect(WebSocketFrame.close(code: nil).closeCode == nil)
    }

    @Test func closeCodesValidOnTheWire() {
        let valid: [UInt16] = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999]
        let invalid: [UInt16] = [0, 999, 1004, 1005, 1006, 1012, 1013, 1014, 1015, 1016, 2000, 2999, 5000, 65535]
        for code in valid { #expect(WebSocketCloseCode(code).isValidOnWire, "\(code)") }
        for code in invalid { #expect(!WebSocketCloseCode(code).isValidOnWire, "\(code)") }
    }
}
