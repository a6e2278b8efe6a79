import Foundation
import Testing
import Sockets
import Tracing

/// The trace's vocabulary is typed: outside Tracing (which turns it into text and back), no source
/// file spells a state, a timer, a state-change cause or a congestion reason as a string literal.
/// A consumer that matched such text would silently stop working when the text changed.
@Suite("The trace vocabulary")
struct VocabularyTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// Every name of the vocabulary that a consumer might be tempted to match.
    static let names: Set<String> = {
        var names = Set(TCPState.allCases.map(\.rawValue))
        names.formUnion(TCPTimer.allCases.map(\.rawValue))
        names.formUnion(StateChangeCause.simpleCases.map(\.description))
        names.formUnion(CongestionReason.allCases.map(\.rawValue))
        return names
    }()

    /// String literals on a line, without their quotes (escapes kept as written).
    static func literals(in line: Substring) -> [String] {
        var result: [String] = []
        var current: String?
        var escaped = false
        for character in line {
            if var text = current {
                if escaped {
                    text.append(character)
                    escaped = false
                } else if character == "\\" {
                    text.append(character)
                    escaped = true
                } else if character == "\"" {
                    result.append(text)
                    current = nil
                    continue
                } else {
                    text.append(character)
                }
                current = text
            } else if character == "\"" {
                current = ""
            }
        }
        return result
    }

    @Test func noConsumerSpellsAStateTimerOrCause() throws {
        let enumerator = try #require(FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil))
        var offending: [String] = []
        var files = 0
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let path = url.path
            // Generated files hold data, not code: the lessons' stored kernel traces spell states as
            // trace files do, and are read back through the trace file reader.
            guard !path.contains("/Sources/Tracing/"), !path.contains("/Generated/") else { continue }
            files += 1
            let text = try String(contentsOf: url, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.drop { $0 == " " }
                // Comments, and the catalogue's own names (the `time-wait` invariant), are not matches.
                guard !code.hasPrefix("//"), !code.contains("name: \"") else { continue }
                for literal in Self.literals(in: line) where Self.names.contains(literal) {
                    offending.append("\(url.lastPathComponent):\(number + 1): \"\(literal)\"")
                }
            }
        }
        #expect(files > 50, "the scan found the sources")
        #expect(offending.isEmpty, "\(offending)")
    }

    @Test func theScannerFindsLiterals() {
        #expect(Self.literals(in: #"case "CLOSED": x("a\"b", "TIME-WAIT")"#) == ["CLOSED", #"a\"b"#, "TIME-WAIT"])
        #expect(Self.names.contains("TIME-WAIT") && Self.names.contains("rcv FIN") && Self.names.contains("delayed-ack"))
    }

    @Test func textFormsRoundTrip() {
        for state in TCPState.allCases { #expect(TCPState(name: state.rawValue.lowercased()) == state) }
        for cause in StateChangeCause.simpleCases + [.skippingTimeWait(.receivedFIN)] {
            #expect(StateChangeCause(text: cause.description) == cause)
        }
        for reason in PacketDropReason.simpleCases + [.badChecksum(field: "TCP.checksum"), .malformed(detail: "x: y"),
                                                       .notAddressed(to: .init(10, 0, 0, 9))] {
            #expect(PacketDropReason(text: reason.description) == reason)
        }
        for cause in [SendCause.original, .reset] + TCPRetransmission.allCases.map(SendCause.retransmission) {
            #expect(SendCause(text: cause.description) == cause)
        }
        let calls: [SocketCall] = [.listen(backlog: 5), .connect(to: "s:80"), .accept(from: "c:1"), .send(bytes: 9),
                                   .shutdownWrite, .close, .abort, .pauseReading, .resumeReading, .bindUDP,
                                   .sendTo("s:9", bytes: 3),
                                   .setKeepalive(SocketKeepalive(idle: 7_200_000_000_000, interval: 250_000,
                                                                 probes: 9)),
                                   .setOption(.noDelay(true)), .setOption(.quickACK(false)),
                                   .setOption(.receiveBuffer(8192)), .setOption(.sendBuffer(4096)),
                                   .setOption(.lingerZero)]
        #expect(calls.map(\.name) == SocketCall.names)
        for call in calls + [.setKeepalive(nil), .connectUDP(to: "s:9"), .setOption(.noDelay(false))] {
            #expect(SocketCall(name: call.name, argument: call.argument) == call)
        }
        let line = HTTPRequestLine(method: "GET", target: "/index.html", version: "HTTP/1.0")
        let applicationEvents: [ApplicationEvent] = [
            .httpRequestSent(id: 0, request: line, headerBytes: 60, bodyBytes: 0),
            .httpRequestReceived(id: 12, request: line, bodyBytes: 5),
            .httpResponseSent(id: 3, version: "HTTP/1.1", status: 200, headerBytes: 101, bodyBytes: 512),
            .httpResponseReceived(id: 3, version: "HTTP/1.0", status: 404, bodyBytes: 0, latency: 40_000_000),
            .httpRejected(status: 400, reason: ""), .httpRejected(status: 505, reason: "offset 0, HTTP version: x"),
            .httpFailed(id: 7, reason: "connection closed before the response"), .httpIdleClose(idle: 5_000_000_000),
            .messageSent(id: 1, headerBytes: 5, payloadBytes: 15), .messageReceived(id: 1, payloadBytes: 0, latency: nil),
            .messageReceived(id: 2, payloadBytes: 9, latency: 0),
            .ping(.sent, sequence: 1, bytes: 13), .pong(.received, sequence: 0, bytes: 5),
            .peerDead(silence: 3_000_000_000), .reconnect(attempt: 2, delay: 1_234_567),
            .chatMessage(.sent, id: 0, from: "ana", payloadBytes: 60, latency: nil),
            .chatMessage(.received, id: 3, from: "b%20c", payloadBytes: 61, latency: 50_000_000),
            .webSocket(.upgrade(.sent, key: "dGhlIHNhbXBsZSBub25jZQ==", headerBytes: 180)),
            .webSocket(.accept(.received, accept: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", headerBytes: 129)),
            .webSocket(.frame(.sent, opcode: .text, fin: true, masked: true, headerBytes: 6, payloadBytes: 5)),
            .webSocket(.frame(.received, opcode: .continuation, fin: false, masked: false, headerBytes: 10,
                              payloadBytes: 70_000)),
            .webSocket(.open), .webSocket(.message(.received, binary: true, bytes: 3)),
            .webSocket(.error(code: 1002, reason: "offset 1: a client sent an unmasked frame (§5.1)")),
            .webSocket(.error(code: 1009, reason: "")), .webSocket(.close(code: 1000, clean: true)),
            .mqtt(.keepaliveExpired(client: "carol", silence: 15_000_000_000)),
            .mqtt(.will(client: "carol", topic: "chat/room1/presence")),
        ] + MQTTPacketKind.allCases.map { kind in
            .mqtt(.packet(kind == .publish ? .received : .sent, MQTTPacketSummary(
                kind: kind, packetID: kind == .pingreq ? nil : 7, clientID: kind == .connect ? "client" : nil,
                keepAlive: kind == .connect ? 10 : nil, cleanSession: kind == .connect,
                willTopic: kind == .connect ? "topic" : nil, returnCode: kind == .connack ? 0 : nil,
                qos: kind == .publish ? 1 : nil, dup: kind == .publish, retain: kind == .publish,
                topic: kind == .publish || kind == .subscribe ? "chat/#" : nil, headerBytes: 16, payloadBytes: 3)))
        }
        #expect(Set(applicationEvents.map(\.name)) == Set(ApplicationEvent.names))
        for event in applicationEvents { #expect(ApplicationEvent(name: event.name, detail: event.detail) == event) }
        for (name, detail) in [("http-request", "sent #01 GET / HTTP/1.1 header 1 body 0"), ("ping", "sent #1 13"),
                               ("message", "sent #1 header 5"), ("http-response", "received #0 HTTP/1.1 200 body 0"),
                               ("peer-dead", "silent -1 ns"), ("http-failed", "#1"), ("pong", "sent #1 13 bytes x"),
                               ("http-request", "received #0 GET / HTTP/11 body 0"), ("reconnect", "attempt 1 in 5"),
                               ("websocket-frame", "sent text fin masked header 6"), ("websocket-close", "code 1000 tidy"),
                               ("websocket-message", "sent text 5"), ("chat-message", "sent #0 from  payload 1"),
                               ("mqtt-publish", "sent dup qos 1 header 2 payload 0"), ("mqtt-ping", "sent header 2 payload 0"),
                               ("mqtt-timeout", "client c silent 5"), ("websocket-upgrade", "sent key header 5")] {
            #expect(ApplicationEvent(name: name, detail: detail) == nil, "\(name) \(detail)")
        }
        let events: [SocketNotification] = [.open(remote: "s:80"), .message(bytes: 4, intact: false), .end, .close,
                                            .datagram(bytes: 2, from: "c:7", intact: true), .error(.refused)]
        for event in events { #expect(SocketNotification(name: event.name, detail: event.detail) == event) }
    }
}
