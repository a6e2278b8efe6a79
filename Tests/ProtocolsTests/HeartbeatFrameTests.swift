import Protocols
import Simulation
import Testing

@Suite("Heartbeat framing")
struct HeartbeatFrameTests {
    /// Feeds `chunks` to a decoder limited to `maxPayload`, then ends the stream.
    private func decode(_ chunks: [[UInt8]], maxPayload: Int = 64 * 1024) -> HeartbeatFrameDecoder.Result {
        var decoder = HeartbeatFrameDecoder(maxPayloadLength: maxPayload)
        var all = HeartbeatFrameDecoder.Result()
        for chunk in chunks {
            let result = decoder.feed(chunk)
            all.frames += result.frames
            all.error = all.error ?? result.error
            #expect(decoder.bufferedByteCount <= HeartbeatFrame.headerLength + maxPayload)
        }
        let end = decoder.finish()
        all.frames += end.frames
        all.error = all.error ?? end.error
        return all
    }

    @Test func encodesTypeLengthAndPayload() {
        #expect(HeartbeatFrame.data(Array("hi".utf8)).encoded() == [0x01, 0, 0, 0, 2, 0x68, 0x69])
        #expect(HeartbeatFrame.ping().encoded() == [0x02, 0, 0, 0, 0])
        #expect(HeartbeatFrame.pong([9]).encoded() == [0x03, 0, 0, 0, 1, 9])
        let large = HeartbeatFrame.data([UInt8](repeating: 0, count: 0x01_02_03)).encoded()
        #expect(Array(large.prefix(5)) == [0x01, 0x00, 0x01, 0x02, 0x03])
    }

    /// Every frame comes back, fed whole, byte by byte or in random chunks.
    @Test func decodesAStreamHoweverSplit() {
        let frames: [HeartbeatFrame] = [.data(Array("hello".utf8)), .ping([0, 0, 0, 1]), .pong([0, 0, 0, 1]),
                                        .data([]), .ping(), .data([UInt8](repeating: 0xAB, count: 300))]
        let wire = frames.flatMap { $0.encoded() }
        let result = parsedAllWays(wire) { decode($0) }
        #expect(result.error == nil)
        #expect(result.frames == frames)
    }

    @Test func seededRandomFramesRoundTrip() {
        var generator = SeededGenerator(seed: 2024)
        for round in 0..<300 {
            let frames = (0..<Int(generator.uniform(1...6))).map { _ -> HeartbeatFrame in
                let kind = [HeartbeatFrame.Kind.data, .ping, .pong][Int(generator.below(3))]
                let length = Int(generator.uniform(0...200))
                let payload = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                return HeartbeatFrame(kind: kind, payload: payload)
            }
            let wire = frames.flatMap { $0.encoded() }
            let chunks = Feeding.randomChunks(of: wire, maxChunk: 32, generator: &generator)
            #expect(decode(chunks, maxPayload: 200).frames == frames, "round \(round)")
        }
    }

    /// An unknown type byte fails at the first byte of its frame.
    @Test func rejectsUnknownType() {
        let wire = HeartbeatFrame.ping().encoded() + [0x07, 0, 0, 0, 0] + HeartbeatFrame.ping().encoded()
        let result = parsedAllWays(wire) { decode($0) }
        #expect(result.frames == [.ping()])
        #expect(result.error == HeartbeatFrameError(kind: .unknownType(7), offset: 5))
    }

    /// A length beyond the limit fails when the header completes, before any payload is kept.
    @Test func rejectsOversizedFrameBeforeBuffering() {
        let header: [UInt8] = [0x01, 0x00, 0x01, 0x00, 0x01]  // 65,537 bytes
        var decoder = HeartbeatFrameDecoder(maxPayloadLength: 65_536)
        let result = decoder.feed(HeartbeatFrame.data([1, 2]).encoded() + header + [UInt8](repeating: 0, count: 4096))
        #expect(result.frames == [.data([1, 2])])
        #expect(result.error == HeartbeatFrameError(kind: .payloadTooLong(length: 65_537, limit: 65_536), offset: 7))
        #expect(decoder.bytesConsumed == 7 + 5)
        #expect(decoder.bufferedByteCount == 0)
        // Failed for good.
        #expect(decoder.feed(HeartbeatFrame.ping().encoded()) == HeartbeatFrameDecoder.Result())
        #expect(decoder.finish() == HeartbeatFrameDecoder.Result())
        #expect(decoder.error?.offset == 7)
    }

    /// A stream that ends inside a header or a payload is truncated; one that ends between frames is not.
    @Test func reportsTruncation() {
        let ping = HeartbeatFrame.ping().encoded()
        #expect(parsedAllWays(ping + [0x01, 0, 0]) { decode($0) }.error
            == HeartbeatFrameError(kind: .truncatedFrame, offset: 5))
        #expect(parsedAllWays(ping + [0x01, 0, 0, 0, 3, 0xAA]) { decode($0) }.error
            == HeartbeatFrameError(kind: .truncatedFrame, offset: 5))
        #expect(parsedAllWays(ping) { decode($0) }.error == nil)
        #expect(HeartbeatFrameError(kind: .truncatedFrame, offset: 5).description
            == "offset 5: stream ended inside a frame")
    }
}
