import Protocols
import Simulation
import Testing

@Suite("WebSocket frame parser: protocol errors and limits (RFC 6455 §5, §7.4.1)")
struct WebSocketFrameParserTests {
    private let key = WebSocketMaskingKey(0x11, 0x22, 0x33, 0x44)

    /// A masked frame as a client sends it.
    private func masked(_ frame: WebSocketFrame) -> [UInt8] {
        var frame = frame
        frame.maskingKey = key
        return frame.encoded()
    }

    /// The error a parser of `role` reports for `bytes`, checked to be the same however the
    /// bytes are split; nil when there is none.
    private func error(_ bytes: [UInt8], role: WebSocketRole = .server, maxFrame: Int = 1 << 16,
                       maxMessage: Int = 1 << 16,
                       sourceLocation: SourceLocation = #_sourceLocation) -> WebSocketProtocolError? {
        SplitFeed.sameForEveryFeed(bytes, sourceLocation: sourceLocation) { pieces -> WebSocketProtocolError? in
            var parser = WebSocketFrameParser(role: role, maxFramePayload: maxFrame, maxMessageSize: maxMessage)
            for piece in pieces {
                do throws(WebSocketProtocolError) { _ = try parser.parse(piece) } catch { return error }
            }
            return nil
        }
    }

    @Test func reservedBitsWithoutExtension() {
        for rsv: UInt8 in [0x40, 0x20, 0x10, 0x70] {
            let found = error([0x81 | rsv, 0x80] + key.array)
            #expect(found == WebSocketProtocolError(.reservedBitsSet(rsv), offset: 0))
            #expect(found?.closeCode == .protocolError)
        }
    }

    @Test func reservedOpcodes() {
        for raw: UInt8 in [0x3, 0x7, 0xB, 0xF] {
            #expect(error([0x80 | raw, 0x80] + key.array) == WebSocketProtocolError(.reservedOpcode(raw), offset: 0))
        }
    }

    /// §5.1: servers refuse unmasked frames, clients refuse masked ones; the error points at the MASK bit.
    @Test func maskingByRole() {
        let unmasked = WebSocketFrame(opcode: .text, payload: Array("hi".utf8)).encoded()
        #expect(error(unmasked, role: .server) == WebSocketProtocolError(.unmaskedFrameFromClient, offset: 1))
        #expect(error(masked(WebSocketFrame(opcode: .text, payload: Array("hi".utf8))), role: .client)
            == WebSocketProtocolError(.maskedFrameFromServer, offset: 1))
        #expect(error(unmasked, role: .client) == nil)
    }

    /// §5.5: control frames carry at most 125 bytes and are never fragmented.
    @Test func controlFrameRules() {
        let long = masked(WebSocketFrame(opcode: .ping, payload: [UInt8](repeating: 0, count: 126)))
        #expect(error(long) == WebSocketProtocolError(.controlFrameTooLong(126), offset: 1))
        let fragmented = masked(WebSocketFrame(fin: false, opcode: .ping, payload: []))
        #expect(error(fragmented) == WebSocketProtocolError(.fragmentedControlFrame(.ping), offset: 0))
        let fragmentedClose = masked(WebSocketFrame(fin: false, opcode: .close, payload: []))
        #expect(error(fragmentedClose)?.kind == .fragmentedControlFrame(.close))
        #expect(error(long)?.closeCode == .protocolError)
    }

    /// §5.2: the most significant bit of a 64-bit length must be 0.
    @Test func sixtyFourBitLengthWithTopBitSet() {
        let bytes: [UInt8] = [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1] + key.array
        #expect(error(bytes) == WebSocketProtocolError(.lengthTopBitSet, offset: 2))
        #expect(error(bytes)?.closeCode == .protocolError)
    }

    /// §5.4: continuations need a start, and a new message cannot start inside another.
    @Test func fragmentationSequence() {
        let orphan = masked(WebSocketFrame(opcode: .continuation, payload: [1]))
        #expect(error(orphan) == WebSocketProtocolError(.continuationWithoutStart, offset: 0))
        let start = masked(WebSocketFrame(fin: false, opcode: .text, payload: Array("a".utf8)))
        let intruder = masked(WebSocketFrame(opcode: .binary, payload: [2]))
        #expect(error(start + intruder)
            == WebSocketProtocolError(.dataFrameInsideFragmentedMessage(.binary), offset: start.count))
        // Control frames may come between fragments (§5.4), and a finished message allows a new one.
        let ping = masked(WebSocketFrame(opcode: .ping, payload: [9]))
        let end = masked(WebSocketFrame(opcode: .continuation, payload: Array("b".utf8)))
        #expect(error(start + ping + end + intruder) == nil)
        #expect(error(start + ping + end + orphan)?.kind == .continuationWithoutStart)
    }

    /// §5.5.1: a close body is empty or at least a 2-byte valid code; the reason is UTF-8.
    @Test func closeBodies() {
        #expect(error(masked(WebSocketFrame(opcode: .close, payload: [0x03])))
            == WebSocketProtocolError(.closeBodyTooShort, offset: 6))
        for code: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 2999, 5000] {
            let frame = masked(WebSocketFrame(opcode: .close, payload: [UInt8(code >> 8), UInt8(code & 0xFF)]))
            #expect(error(frame) == WebSocketProtocolError(.invalidCloseCode(code), offset: 6), "\(code)")
            #expect(error(frame)?.closeCode == .protocolError)
        }
        for code: UInt16 in [1000, 1001, 1003, 1011, 3000, 4999] {
            #expect(error(masked(WebSocketFrame.close(code: WebSocketCloseCode(code), reason: "ok"))) == nil)
        }
        let badReason = masked(WebSocketFrame(opcode: .close, payload: [0x03, 0xE8, 0x61, 0xC0, 0xAF]))
        #expect(error(badReason) == WebSocketProtocolError(.invalidUTF8InCloseReason, offset: 9))
        #expect(error(badReason)?.closeCode == .invalidFramePayloadData)
        #expect(error(masked(WebSocketFrame(opcode: .close, payload: []))) == nil)
    }

    /// §8.1: invalid UTF-8 in text fails at the exact byte, 1007.
    @Test func invalidUTF8InText() {
        let bytes = masked(WebSocketFrame(opcode: .text, payload: [0x61, 0x62, 0xED, 0xA0, 0x80, 0x63]))
        let found = error(bytes)
        #expect(found == WebSocketProtocolError(.invalidUTF8InText, offset: 6 + 3))
        #expect(found?.closeCode == .invalidFramePayloadData)
        // Binary payloads are not UTF-8 checked.
        #expect(error(masked(WebSocketFrame(opcode: .binary, payload: [0xED, 0xA0, 0x80]))) == nil)
    }

    /// A character may be split across fragments; an invalid one split across fragments is
    /// caught at its bad byte, and a message ending inside a character at its end.
    @Test func utf8AcrossFragments() throws {
        let euroStart = masked(WebSocketFrame(fin: false, opcode: .text, payload: [0x41, 0xE2]))
        let euroEnd = masked(WebSocketFrame(opcode: .continuation, payload: [0x82, 0xAC]))
        var parser = WebSocketFrameParser(role: .server)
        let frames = try parser.parse(euroStart + euroEnd)
        #expect(frames.flatMap(\.payload) == Array("A€".utf8))

        let badEnd = masked(WebSocketFrame(opcode: .continuation, payload: [0x82, 0x41]))
        #expect(error(euroStart + badEnd)
            == WebSocketProtocolError(.invalidUTF8InText, offset: euroStart.count + 6 + 1))

        let truncated = masked(WebSocketFrame(opcode: .continuation, payload: [0x82]))
        let found = error(euroStart + truncated)
        #expect(found == WebSocketProtocolError(.invalidUTF8InText, offset: euroStart.count + truncated.count))
        #expect(found?.closeCode == .invalidFramePayloadData)
    }

    /// §8.1 "fail fast": the error comes with the bad byte, before the rest of the frame arrives.
    @Test func invalidUTF8FailsBeforeTheFrameIsComplete() {
        let payload: [UInt8] = [0x61, 0xFF] + [UInt8](repeating: 0x61, count: 1000)
        let bytes = masked(WebSocketFrame(opcode: .text, payload: payload))
        var parser = WebSocketFrameParser(role: .server)
        let badByte = 8 + 1  // 2 + 2 (16-bit length) + 4 (mask), then "a", then FF
        #expect(throws: Never.self) { try parser.parse(bytes[..<badByte]) }
        #expect(throws: WebSocketProtocolError(.invalidUTF8InText, offset: badByte)) {
            try parser.parse(bytes[badByte...badByte])
        }
        // A failed parser stays failed.
        #expect(parser.error?.kind == .invalidUTF8InText)
        #expect(throws: WebSocketProtocolError(.invalidUTF8InText, offset: badByte)) { try parser.parse([0x81]) }
    }

    /// 1009, found on the length field, before any payload is buffered.
    @Test func sizeLimits() {
        let big = masked(WebSocketFrame(opcode: .binary, payload: [UInt8](repeating: 0, count: 1001)))
        let found = error(big, maxFrame: 1000, maxMessage: 5000)
        #expect(found == WebSocketProtocolError(.frameTooBig(length: 1001, limit: 1000), offset: 1))
        #expect(found?.closeCode == .messageTooBig)
        #expect(error(Array(big.prefix(4)), maxFrame: 1000, maxMessage: 5000) != nil)  // header alone is enough

        let first = masked(WebSocketFrame(fin: false, opcode: .binary, payload: [UInt8](repeating: 0, count: 600)))
        let second = masked(WebSocketFrame(opcode: .continuation, payload: [UInt8](repeating: 0, count: 600)))
        #expect(error(first + second, maxFrame: 1000, maxMessage: 1000)
            == WebSocketProtocolError(.messageTooBig(size: 1200, limit: 1000), offset: first.count + 1))
        #expect(error(first + second, maxFrame: 1000, maxMessage: 1200) == nil)

        // A 2^62-byte length is refused without trying to allocate it.
        let huge: [UInt8] = [0x82, 0xFF, 0x40, 0, 0, 0, 0, 0, 0, 0]
        #expect(error(huge)?.kind == .frameTooBig(length: 1 << 62, limit: 1 << 16))
    }

    /// 10,000 seeded random and mutated frame streams, fed in random pieces: the parser never
    /// traps, never holds more than one frame's payload within the limit, and finds the same
    /// frames and the same error however the bytes are split.
    @Test func seededRandomAndMutatedFrames() {
        var generator = SeededGenerator(seed: 0x6455)
        let maxFrame = 300
        var errors = 0
        var frameCount = 0
        for round in 0..<10_000 {
            let role: WebSocketRole = round % 2 == 0 ? .server : .client
            var stream: [UInt8] = []
            for _ in 0..<Int(generator.uniform(1...4)) {
                stream += randomFrame(&generator, maxLength: maxFrame + 20, maskedMostly: role == .server)
            }
            // Mutate: flip bits, overwrite bytes, cut, insert junk (and, sometimes, nothing).
            stream = ByteMutator(edits: [.flipBit, .overwrite, .truncate, .insertJunk])
                .mutate(stream, count: 0...3, using: &generator)
            func run(_ feed: SplitFeed) -> ([WebSocketFrame], WebSocketProtocolError?) {
                var parser = WebSocketFrameParser(role: role, maxFramePayload: maxFrame, maxMessageSize: 2 * maxFrame)
                var frames: [WebSocketFrame] = []
                for piece in feed.pieces(stream) {
                    do throws(WebSocketProtocolError) {
                        try parser.parse(piece) { frames.append($0) }
                    } catch {
                        return (frames, error)
                    }
                    #expect(parser.bufferedByteCount <= maxFrame)
                }
                return (frames, nil)
            }
            let whole = run(.whole)
            let split = run(.random(seed: UInt64(round)))
            #expect(whole.0 == split.0 && whole.1 == split.1, "round \(round)")
            if let error = whole.1 {
                errors += 1
                // A message ending inside a character is reported at its end, which may be the stream's.
                #expect(error.offset >= 0 && error.offset <= stream.count)
                #expect([1002, 1007, 1009].contains(error.closeCode.rawValue))
            }
            frameCount += whole.0.count
        }
        // Both outcomes were exercised.
        #expect(errors > 1_000 && errors < 9_000)
        #expect(frameCount > 5_000)
    }

    /// A frame that is usually valid: random opcode (sometimes reserved), FIN, length, and a
    /// masking key that is usually right for the receiver.
    private func randomFrame(_ generator: inout SeededGenerator, maxLength: Int, maskedMostly: Bool) -> [UInt8] {
        let opcodes: [WebSocketOpcode] = [.continuation, .text, .binary, .close, .ping, .pong, .reserved(3)]
        let opcode = generator.bernoulli(0.95) ? opcodes[Int(generator.below(6))] : opcodes[6]
        let length = opcode.isControl ? Int(generator.uniform(0...125)) : Int(generator.uniform(0...Int64(maxLength)))
        var payload = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next() % 0x60 + 0x20) }
        if opcode == .close && length >= 2 { payload[0] = 0x03; payload[1] = 0xE8 }
        let masked = generator.bernoulli(0.97) == maskedMostly
        let key = masked ? WebSocketMaskingKey(UInt32(truncatingIfNeeded: generator.next())) : nil
        let fin = opcode.isControl || generator.bernoulli(0.7)
        return WebSocketFrame(fin: fin, opcode: opcode, maskingKey: key, payload: payload).encoded()
    }
}
