import Apps
import Loopback
import Protocols
import Sockets
import Stack
import Testing
import Tracing

/// The HTTP server application under raw clients, on both runtimes with one test body: requests
/// that are malformed or too large get the status RFC 9110/9112 and RFC 6585 prescribe, seeded
/// random mutations of a valid request get some well-formed answer or a close, and the server
/// survives all of it and still answers a good request at the end.
@Suite("The HTTP server glue under malformed input")
struct HTTPServerGlueTests {
    /// A case: the bytes a raw client sends (then half-closes), and the status it must get (nil:
    /// any well-formed answer, or none).
    struct Case {
        var bytes: [UInt8]
        var status: Int?
    }

    static func text(_ text: String) -> [UInt8] { Array(text.utf8) }

    static let valid = text("GET /hello.txt HTTP/1.1\r\nHost: server\r\nAccept: */*\r\n\r\n")

    /// Each malformed request with the status it must get.
    static let malformed: [Case] = [
        Case(bytes: valid, status: 200),
        Case(bytes: text("GET / HTTP/1.1\r\n\r\n"), status: 400),                                        // no Host
        Case(bytes: text("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), status: 400),                  // two Hosts
        Case(bytes: text("GET / HTTP/2.0\r\nHost: x\r\n\r\n"), status: 505),
        Case(bytes: text("GET / HTTP/1.1\nHost: x\n\n"), status: 400),                                   // bare LF
        Case(bytes: text("GET /" + String(repeating: "a", count: 9_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), status: 414),
        Case(bytes: text("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "b", count: 17_000) + "\r\n\r\n"),
             status: 431),
        Case(bytes: text("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n"), status: 413),
        Case(bytes: text("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"),
             status: 400),
        Case(bytes: text("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"), status: 501),
        Case(bytes: text("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nshort"), status: 400),  // cut short
        Case(bytes: text("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n"), status: 400),                  // obs-fold
        Case(bytes: text("G\u{1}T / HTTP/1.1\r\nHost: x\r\n\r\n"), status: 400),
        Case(bytes: text("DELETE /index.html HTTP/1.1\r\nHost: x\r\n\r\n"), status: 405),
        Case(bytes: text("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"), status: 404),
        Case(bytes: [], status: nil),                                                                     // nothing at all
    ]

    /// `count` seeded mutations of the valid request: bytes flipped, inserted, deleted, cut.
    static func mutations(_ count: Int, seed: UInt64) -> [Case] {
        var random = ApplicationRandom(seed: seed, label: "mutations")
        func below(_ bound: Int) -> Int { Int(random.next() % UInt64(max(1, bound))) }
        return (0..<count).map { _ in
            var bytes = valid
            for _ in 0...below(4) {
                switch below(4) {
                case 0 where !bytes.isEmpty: bytes[below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: below(bytes.count + 1))
                case 2 where !bytes.isEmpty: bytes.remove(at: below(bytes.count))
                default: bytes = Array(bytes.prefix(below(bytes.count + 1)))
                }
            }
            return Case(bytes: bytes, status: nil)
        }
    }

    static let statuses: Set<Int> = [200, 400, 404, 405, 413, 414, 431, 501, 505]

    /// The status line's code of a response, or nil for no response.
    static func status(of response: [UInt8]) -> Int? {
        guard response.count >= 12, response.starts(with: Array("HTTP/1.1 ".utf8)) else { return nil }
        return Int(String(decoding: response[9..<12], as: UTF8.self))
    }

    /// The status of every response in the bytes, parsed in order (the requests were GETs or
    /// POSTs, whose responses carry their bodies).
    static func statusLines(_ response: [UInt8]) -> [Int] {
        var parser = HTTPResponseParser()
        for _ in 0..<64 { parser.expectResponse(to: .get) }
        var result = parser.feed(response)
        result.messages += parser.finish().messages
        return result.messages.map(\.status)
    }

    /// Runs every case against one server, each from its own connection one second after the
    /// last, then a good request: the test body both runtimes share. `run` drives the runtime
    /// until it is done; the result is each connection's response bytes and the trace.
    static func exercise(_ cases: [Case], client: any SocketHost, server: any SocketHost, spacing: Int64,
                         run: () -> Void) throws -> (responses: [[UInt8]], events: [TraceEvent]) {
        let recorder = TraceRecorder()
        let application = HTTPServerApplication(host: server, port: 80, trace: ApplicationTrace(observer: recorder))
        try application.start()
        final class Box { var bytes: [UInt8] = [] }
        let boxes = (0...cases.count).map { _ in Box() }
        var sockets: [any StreamSocket] = []
        for (index, bytes) in (cases.map(\.bytes) + [valid]).enumerated() {
            client.after(nanoseconds: Int64(index) * spacing) {
                guard let socket = try? client.connect(to: SocketAddress(host: server.name, port: 80), from: 0) else { return }
                sockets.append(socket)
                socket.onEvent = { event in
                    switch event {
                    case .opened:
                        socket.send(bytes)
                        socket.shutdownWrite()
                    case .data(let data):
                        boxes[index].bytes += data
                    case .peerFinished:
                        socket.close()
                    case .error, .closed:
                        break
                    }
                }
            }
        }
        run()
        application.stop()
        return (boxes.map(\.bytes), recorder.events)
    }

    static func check(_ cases: [Case], _ responses: [[UInt8]], _ events: [TraceEvent], runtime: String) {
        for (index, testCase) in cases.enumerated() {
            let status = Self.status(of: responses[index])
            if let expected = testCase.status {
                #expect(status == expected, "\(runtime) case \(index): \(String(decoding: responses[index].prefix(40), as: UTF8.self))")
            } else if let status {
                #expect(Self.statuses.contains(status), "\(runtime) case \(index): status \(status)")
            }
        }
        #expect(Self.status(of: responses[cases.count]) == 200, "\(runtime): the server survived and still answers")
        let rejected = events.filter { event in
            if case .application(_, .httpRejected) = event.kind { return true }
            return false
        }
        // A valid request followed by garbage gets its answer, then the garbage its rejection.
        let rejectionsSent = responses.reduce(0) { total, response in
            total + Self.statusLines(response).filter { [400, 413, 414, 431, 501, 505].contains($0) }.count
        }
        #expect(rejected.count == rejectionsSent, "\(runtime): every rejection is in the trace")
    }

    @Test func simulated() throws {
        let cases = Self.malformed + Self.mutations(400, seed: 12)
        let scenario = Scenario(name: "glue", summary: "", hosts: ["client", "server"], steps: [])
        let network = SimulatedNetwork(scenario: scenario)
        let (responses, events) = try Self.exercise(cases, client: network.hosts[0], server: network.hosts[1],
                                                    spacing: 1_000_000_000) {
            network.run(until: Int64(cases.count + 200) * 1_000_000_000)
        }
        Self.check(cases, responses, events, runtime: "simulated")
    }

    @Test func kernel() throws {
        let cases = Self.malformed + Self.mutations(60, seed: 13)
        let network = try LoopbackNetwork(hostNames: ["client", "server"],
                                          options: LoopbackOptions(captureMode: .disabled, signalHandling: .ignore))
        defer { network.shutdown() }
        let (responses, events) = try Self.exercise(cases, client: network.hosts[0], server: network.hosts[1],
                                                    spacing: 2_000_000) {
            network.run(until: 20_000_000_000)
        }
        Self.check(cases, responses, events, runtime: "kernel")
    }
}
