import Apps
import Runs
import Testing
import TestSupport
import Wire
@testable import Tracing

/// The pieces of hostile-input handling that live in `Tracing`: escaping control characters,
/// locating invalid UTF-8, host addresses past 254 hosts, captures whose clock goes backwards.
@Suite("Input safety in Tracing")
struct InputSafetyTests {
    @Test func controlCharactersAreEscapedAndEscapingIsIdempotent() {
        #expect(SafeText.escaped("\u{1B}]0;owned\u{07}") == "\\x1b]0;owned\\x07")
        #expect(SafeText.escaped("a\u{7F}b\u{9B}c\u{202E}d") == "a\\x7fb\\x9bc\\u{202e}d")
        #expect(SafeText.escaped("tab\there\nline") == "tab\\x09here\\x0aline")
        #expect(SafeText.escaped("三次握手 client:80") == "三次握手 client:80")
        let once = SafeText.escaped("\u{1B}[2J\u{0}")
        #expect(SafeText.escaped(once) == once)
        #expect(SafeText.firstControl("ok\tstill\u{1B}x")?.column == 9)
        #expect(SafeText.firstControl("ok\tfine\u{202E}") == nil)
        #expect(SafeText.name("\u{1B}") == "U+001B")
    }

    @Test func invalidUTF8IsLocatedByLineColumnAndOffset() {
        let bytes: [UInt8] = Array("ab\ncd€\ne".utf8) + [0xE2, 0x82] + Array("\n".utf8)
        guard case .failure(let invalid) = TextDecoding.text(bytes) else {
            Issue.record("a truncated sequence decoded")
            return
        }
        #expect(invalid == TextDecoding.InvalidByte(line: 3, column: 2, offset: 10, byte: 0xE2))
        #expect(invalid.description == "3:2: not UTF-8 text: byte 0xe2 at offset 10")
        #expect(TextDecoding.text(Array("fine".utf8)) == .success("fine"))
        // Overlong forms and surrogates are refused like the standard library refuses them.
        if case .failure(let overlong) = TextDecoding.text([0x41, 0xC0, 0x80]) { #expect(overlong.offset == 1) } else {
            Issue.record("an overlong form decoded")
        }
        if case .failure(let surrogate) = TextDecoding.text([0xED, 0xA0, 0x80]) { #expect(surrogate.offset == 0) } else {
            Issue.record("a surrogate decoded")
        }
    }

    @Test func hostAddressesNeverRepeatUpToTheHostLimit() {
        let addresses = (0..<InputLimits.hostsPerScenario).map(Scenario.hostAddress(at:))
        #expect(Set(addresses).count == InputLimits.hostsPerScenario)
        #expect(addresses[0].description == "10.0.0.1" && addresses[253].description == "10.0.0.254")
        #expect(addresses[254].description == "10.1.0.1" && addresses[508].description == "10.1.1.1")
        // None is the router's (10.0.1.1), a network or a broadcast address.
        #expect(!addresses.contains { $0.description == "10.0.1.1" || $0.description.hasSuffix(".0")
                                      || $0.description.hasSuffix(".255") })
    }

    @Test func hostsOverTheLimitAreALocatedError() {
        let names = (0...InputLimits.hostsPerScenario).map { "h\($0)" }.joined(separator: " ")
        #expect(throws: ScenarioSyntaxError.self) {
            try ScenarioLanguage.parse("scenario x \"y\"\nhosts \(names)\n", file: "x.scn")
        }
        do {
            _ = try ScenarioLanguage.parse("scenario x \"y\"\nhosts \(names)\n", file: "x.scn")
        } catch {
            #expect(error.line == 2)
            #expect(error.message.contains("limit \"hosts per scenario\""))
        }
    }

    /// The handshake as a classic pcap (24-byte header, then 16-byte record headers).
    static func handshakePcap() -> [UInt8] {
        TracePcap.bytes(of: SimulatedRuntime().run(BuiltInScenarios.scenario(named: "handshake")!).trace)
    }

    /// A capture whose timestamps go backwards reads as time standing still, never negative.
    @Test func captureTimesNeverGoBackwards() throws {
        var file = Self.handshakePcap()
        file[24] = 5   // the first record: 5 s, later than the others
        let trace = try PcapTraceReader.trace(fromPcap: file, name: "back\u{1B}.pcap")
        #expect(trace.events.count == 3)
        #expect(trace.events.allSatisfy { $0.time == 0 })
        #expect(trace.header.scenario == "back\\x1b.pcap")
        let clean = try PcapTraceReader.trace(fromPcap: Self.handshakePcap(), name: "h.pcap")
        #expect(clean.events.map(\.time) == [0, 10_000_000, 20_000_000])
    }

    @Test func aCaptureReadWithALimitSaysHowManyConnectionsItLeftOut() throws {
        let clients = (0..<5).map { "c\($0)" }
        let text = "scenario five \"x\"\nhosts server \(clients.joined(separator: " "))\nat 0 server listen 80\n"
            + clients.map { "at 0 \($0) connect server:80\n" }.joined()
        let run = SimulatedRuntime().run(try ScenarioLanguage.parse(text, file: "five.scn"))
        let reading = try PcapTraceReader.read(TracePcap.bytes(of: run.trace), name: "five.pcap", limit: 3)
        #expect(reading.connections == 5 && reading.connectionsKept == 3)
        let all = try PcapTraceReader.read(TracePcap.bytes(of: run.trace), name: "five.pcap")
        #expect(all.connections == 5 && all.connectionsKept == 5)
        #expect(reading.trace.events.count * 5 == all.trace.events.count * 3)
    }

    /// Found by the text-trace fuzz target (`Tests/Fuzz/Regressions/text-trace/udp-negative-length`):
    /// a UDP line whose length is negative made an array of negative size.
    @Test func textTraceWithANegativeUDPLengthIsALocatedError() throws {
        let input = Repository.bytes(Repository.root.appendingPathComponent(
            "Tests/Fuzz/Regressions/text-trace/udp-negative-length"))
        #expect(!input.isEmpty)
        do {
            _ = try TextTrace.read(String(decoding: input, as: UTF8.self), file: "fuzz.txt")
            Issue.record("a negative UDP length read")
        } catch {
            #expect(error.line == 19)
            #expect(error.description.contains("expected a payload length of 0 or more, found -100"))
        }
    }
}
