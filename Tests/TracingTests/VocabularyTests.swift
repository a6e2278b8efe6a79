import Foundation
import Testing
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
            guard !path.contains("/Sources/Tracing/") else { continue }
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
                                   .sendTo("s:9", bytes: 3)]
        #expect(calls.map(\.name) == SocketCall.names)
        for call in calls { #expect(SocketCall(name: call.name, argument: call.argument) == call) }
        let events: [SocketNotification] = [.open(remote: "s:80"), .message(bytes: 4, intact: false), .end, .close,
                                            .datagram(bytes: 2, from: "c:7", intact: true), .error(.refused)]
        for event in events { #expect(SocketNotification(name: event.name, detail: event.detail) == event) }
    }
}
