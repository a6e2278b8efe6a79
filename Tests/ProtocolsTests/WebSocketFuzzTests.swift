import Protocols
import Simulation
import Testing

/// The WebSocket endpoint under seeded random and mutated input, fed one byte at a time and in
/// random pieces: it never traps, never holds more than its limits, answers a broken stream with
/// exactly one Close frame whose code says why (1002, 1007 or 1009), and reports `error` and
/// `close` once.
@Suite("WebSocket endpoint under mutated input")
struct WebSocketFuzzTests {
    static let configuration = WebSocketConnection.Configuration(maxFramePayload: 200, maxMessageSize: 400)

    /// A conversation a peer might send: messages (some fragmented), pings, pongs, maybe a close.
    static func conversation(_ generator: inout SeededGenerator, masked: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        func key() -> WebSocketMaskingKey? { masked ? WebSocketMaskingKey(UInt32(truncatingIfNeeded: generator.next())) : nil }
        for _ in 0..<generator.uniform(1...5) {
            switch generator.below(5) {
            case 0, 1:
                let text = Array((0..<generator.uniform(0...150)).map { _ in UInt8(generator.uniform(0x20...0x7E)) })
                bytes += WebSocketFrame(opcode: .text, maskingKey: key(), payload: text).encoded()
            case 2:
                let parts = Int(generator.uniform(2...4))
                for part in 0..<parts {
                    let payload = (0..<generator.uniform(0...90)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                    bytes += WebSocketFrame(fin: part == parts - 1, opcode: part == 0 ? .binary : .continuation,
                                            maskingKey: key(), payload: payload).encoded()
                }
            case 3:
                bytes += WebSocketFrame(opcode: generator.bernoulli(0.5) ? .ping : .pong, maskingKey: key(),
                                        payload: Array("beat".utf8)).encoded()
            default:
                bytes += WebSocketFrame.close(code: .normalClosure, reason: "bye", maskingKey: key()).encoded()
            }
        }
        return bytes
    }

    @Test(arguments: [WebSocketRole.server, .client])
    func mutatedConversationsNeverTrapAndFailWithTheRightCode(role: WebSocketRole) {
        var generator = SeededGenerator(seed: role == .server ? 6455 : 6456)
        var failures = 0, cleanCloses = 0
        for round in 0..<2_000 {
            let stream = ByteMutator().mutate(Self.conversation(&generator, masked: role == .server), count: 0...2,
                                              using: &generator)
            func run(_ feed: SplitFeed) -> (output: WebSocketOutput, readyState: Int) {
                var endpoint = role == .server ? WebSocketConnection.server(configuration: Self.configuration)
                    : .client(maskingKeys: GeneratorMaskingKeys(SeededGenerator(seed: 1)), configuration: Self.configuration)
                var all = endpoint.open(now: 0)
                for piece in feed.pieces(stream) {
                    let output = endpoint.receive(piece, now: 1)
                    all.actions += output.actions
                    all.events += output.events
                    #expect(endpoint.bufferedByteCount <= Self.configuration.maxFramePayload
                            + Self.configuration.maxMessageSize)
                }
                return (all, endpoint.readyState)
            }
            let (whole, state) = run(.whole)
            let (bytewise, _) = run(round % 4 == 0 ? .bytewise : .random(seed: UInt64(round)))
            #expect(whole.events == bytewise.events && whole.actions == bytewise.actions, "round \(round)")
            let errors = whole.events.compactMap { if case .error(let error) = $0 { error } else { nil } }
            let closes = whole.events.filter { if case .close = $0 { true } else { false } }
            #expect(errors.count <= 1 && closes.count <= 1, "round \(round)")
            if let error = errors.first {
                failures += 1
                #expect([1002, 1007, 1009].contains(error.closeCode.rawValue))
                // The Close frame sent says why, unless one had been sent already (an echoed close).
                let sentCloses = whole.actions.compactMap { action -> [UInt8]? in
                    guard case .send(let bytes) = action, bytes.first == 0x88 else { return nil }
                    return bytes
                }
                #expect(sentCloses.count <= 1, "round \(round)")
                #expect(whole.actions.last == .closeTransport, "round \(round)")
            } else if closes.count == 1 || state == 2 {
                // The peer's Close: a server closes at once, a client waits for the server's FIN.
                cleanCloses += 1
            }
        }
        #expect(failures > 200 && cleanCloses > 100, "\(failures) failures, \(cleanCloses) closes")
    }
}
