// Writes every fuzz target's seed corpus, from the repository's own inputs (Traces/, Lessons/,
// the test fixtures) and from StackLab's own encoders and built-in scenarios, so nothing large is
// committed. Built like a target (it links the same instrumented modules, hence the libFuzzer
// entry points) but does all its work in `LLVMFuzzerInitialize` and exits:
//
//     STACKLAB_FUZZ_ROOT=REPOSITORY STACKLAB_FUZZ_SEEDS=DIRECTORY seeds
import Apps
import Foundation
import Protocols
import Runs
import Tracing
import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt { 0 }

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let environment = ProcessInfo.processInfo.environment
    guard let root = environment["STACKLAB_FUZZ_ROOT"], let output = environment["STACKLAB_FUZZ_SEEDS"] else {
        FileHandle.standardError.write(Data("seeds: set STACKLAB_FUZZ_ROOT and STACKLAB_FUZZ_SEEDS\n".utf8))
        exit(2)
    }
    var seeds = Seeds(root: URL(fileURLWithPath: root), output: URL(fileURLWithPath: output))
    seeds.writeAll()
    print("seeds: \(seeds.written) files in \(output)")
    exit(0)
}

struct Seeds {
    let root: URL
    let output: URL
    var written = 0

    mutating func add(_ target: String, _ name: String, _ bytes: [UInt8]) {
        let directory = output.appendingPathComponent(target)
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
        try? Data(bytes).write(to: directory.appendingPathComponent(safe))
        written += 1
    }

    func files(in folder: String, suffix: String) -> [URL] {
        let directory = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { directory.appendingPathComponent($0) }
    }

    func bytes(_ url: URL) -> [UInt8] { (try? [UInt8](Data(contentsOf: url))) ?? [] }

    /// The first `count` lines of a file, newline included.
    func head(_ bytes: [UInt8], lines count: Int) -> [UInt8] {
        var seen = 0
        for (i, byte) in bytes.enumerated() where byte == 0x0A {
            seen += 1
            if seen == count { return Array(bytes[...i]) }
        }
        return bytes
    }

    mutating func writeAll() {
        var shortTraces: [(String, Trace)] = []
        for url in files(in: "Traces", suffix: ".jsonl") {
            let name = url.deletingPathExtension().lastPathComponent
            let all = bytes(url)
            let short = head(all, lines: 40)
            add("trace-jsonl", name + ".jsonl", short)
            add("render", name + ".jsonl", short)
            guard let trace = try? TraceFile.read(bytes: all, file: url.path) else { continue }
            var cut = trace
            cut.events = Array(trace.events.prefix(39))
            shortTraces.append((name, cut))
            var packets = 0
            for event in trace.events {
                guard case .packetSent(let packet, _) = event.kind, packets < 24 else { continue }
                packets += 1
                add("ipv4", "\(name)-\(packets)", packet)
                let headerLength = Int(packet[0] & 0x0F) * 4
                guard packet.count > headerLength else { continue }
                let transport = Array(packet[headerLength...])
                switch packet[9] {
                case 6: add("tcp", "\(name)-\(packets)", transport)
                case 17: add("udp", "\(name)-\(packets)", transport)
                case 1: add("icmp", "\(name)-\(packets)", transport)
                default: break
                }
                if packet[9] == 6, transport.count > 20 {
                    let dataOffset = Int(transport[12] >> 4) * 4
                    if transport.count > dataOffset {
                        let payload = Array(transport[dataOffset...])
                        add(name.hasPrefix("http") ? "http" : "heartbeat", "\(name)-\(packets)", payload)
                    }
                }
            }
        }
        for (name, trace) in shortTraces {
            add("pcap", name + ".pcap", TracePcap.bytes(of: trace))
            add("pcapng", name + ".pcapng", TracePcapng.bytes(of: trace))
            add("render", name + ".pcap", TracePcap.bytes(of: trace))
            add("text-trace", name + ".txt", Array(TextTrace.write(trace).utf8))
        }
        for folder in ["Tests/WireTests/Fixtures", "Tests/RenderingTests/Fixtures"] {
            for url in files(in: folder, suffix: ".pcap") { add("pcap", url.lastPathComponent, bytes(url)) }
            for url in files(in: folder, suffix: ".pcapng") { add("pcapng", url.lastPathComponent, bytes(url)) }
        }
        for name in BuiltInScenarios.names {
            guard let scenario = BuiltInScenarios.scenario(named: name) else { continue }
            add("scenario", name + ".scn", Array(ScenarioLanguage.format(scenario).utf8))
        }
        for url in files(in: "Lessons", suffix: ".md") where url.lastPathComponent != "README.md" {
            let text = bytes(url)
            add("lesson", url.lastPathComponent, text)
            // Inline scenario blocks are scenarios too.
            let lines = String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            if let open = lines.firstIndex(where: { $0.hasPrefix("```") }),
               let close = lines[(open + 1)...].firstIndex(where: { $0.hasPrefix("```") }) {
                add("scenario", url.lastPathComponent + ".scn", Array(lines[(open + 1)..<close].joined(separator: "\n").utf8))
            }
        }
        protocolSeeds()
    }

    mutating func protocolSeeds() {
        let quoted = Array(repeating: UInt8(0x45), count: 28)
        let messages: [ICMPMessage] = [
            .echoRequest(identifier: 1, sequence: 1, data: Array("ping".utf8)), .echoReply(identifier: 1, sequence: 1, data: []),
            .destinationUnreachable(code: ICMPMessage.portUnreachable, quoted: quoted),
            .destinationUnreachable(code: 4, nextHopMTU: 576, quoted: quoted), .timeExceeded(code: 0, quoted: quoted),
            .other(type: 13, code: 0, rest: [0, 0, 0, 0]),
        ]
        for (i, message) in messages.enumerated() {
            add("icmp", "message-\(i)", message.emit())
            add("ipv4", "icmp-\(i)", IPv4Packet(source: IPv4Address(10, 0, 0, 1), destination: IPv4Address(10, 0, 0, 2),
                                                 identification: 1, payload: .icmp(message)).emit())
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "server")
        headers.add(name: "Accept", value: "*/*")
        let get = HTTPRequest(target: "/index.html", headers: headers)
        let post = HTTPRequest(method: .post, target: "/echo", headers: headers, body: Array("hello".utf8))
        add("http", "get", HTTPSerializer.serialize(get))
        add("http", "post-chunked", HTTPSerializer.serialize(post, framing: .chunked(chunkSize: 3)))
        add("http", "pipelined", HTTPSerializer.serialize(get) + HTTPSerializer.serialize(post))
        let ok = HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Array("hello\n".utf8))
        add("http", "response", HTTPSerializer.serialize(ok))
        add("http", "response-chunked", HTTPSerializer.serialize(ok, framing: .chunked(chunkSize: 3)))
        add("http", "upgrade", Array(("GET /chat HTTP/1.1\r\nHost: server\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8))

        let key = WebSocketMaskingKey(0x37, 0xfa, 0x21, 0x3d)
        let frames: [WebSocketFrame] = [
            WebSocketFrame(opcode: .text, payload: Array("Hello".utf8)),
            WebSocketFrame(fin: false, opcode: .text, payload: Array("Hel".utf8)),
            WebSocketFrame(opcode: .continuation, payload: Array("lo".utf8)),
            WebSocketFrame(opcode: .binary, payload: Array(repeating: 7, count: 300)),
            WebSocketFrame(opcode: .ping, payload: Array("ping".utf8)),
            WebSocketFrame(opcode: .pong),
            WebSocketFrame.close(code: .normalClosure, reason: "bye"),
        ]
        for (i, frame) in frames.enumerated() {
            var masked = frame
            masked.maskingKey = key
            add("websocket", "server-\(i)", frame.encoded())
            add("websocket", "client-\(i)", masked.encoded())
        }
        add("websocket", "server-all", frames.flatMap { $0.encoded() })

        let packets: [MQTTPacket] = [
            .connect(MQTTConnect(clientID: "c1")),
            .connack(sessionPresent: false, returnCode: .accepted),
            .publish(MQTTPublish(topic: "chat/room", payload: Array("hi".utf8))),
            .publish(MQTTPublish(topic: "chat/room", payload: Array("hi".utf8), qos: .atLeastOnce, packetID: 7)),
            .puback(packetID: 7), .pubrec(packetID: 8), .pubrel(packetID: 8), .pubcomp(packetID: 8),
            .subscribe(packetID: 1, subscriptions: [MQTTSubscription("chat/#", qos: .atLeastOnce)]),
            .suback(packetID: 1, returnCodes: [.granted(.atLeastOnce), .failure]),
            .unsubscribe(packetID: 2, topicFilters: ["chat/#"]), .unsuback(packetID: 2),
            .pingreq, .pingresp, .disconnect,
        ]
        for (i, packet) in packets.enumerated() { add("mqtt", "packet-\(i)", packet.encoded()) }
        add("mqtt", "session", packets.flatMap { $0.encoded() })

        let beats: [HeartbeatFrame] = [.data(Array("GET /index.html".utf8)), .ping(), .pong([1, 2, 3, 4]), .data([])]
        for (i, beat) in beats.enumerated() { add("heartbeat", "frame-\(i)", beat.encoded()) }
        add("heartbeat", "stream", beats.flatMap { $0.encoded() })
    }
}
