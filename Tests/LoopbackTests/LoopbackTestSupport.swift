import Foundation
import Loopback
import Sockets
import Testing
import Wire

/// Every loopback test, run one at a time: they share 127.0.0.1 and 127.0.0.2, the process's
/// signal dispositions and its descriptor table.
@Suite(.serialized) struct LoopbackTests {}

/// Whether this process may open a packet socket: root, or `CAP_NET_RAW` (bit 13 of `CapEff`).
let canCapture: Bool = {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
          let mask = UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16)
    else { return false }
    return mask & (1 << 13) != 0
}()

/// Options for tests: short timeouts, signals reported rather than re-raised.
func testOptions(capture: LoopbackOptions.CaptureMode = .enabled) -> LoopbackOptions {
    LoopbackOptions(captureMode: canCapture ? capture : (capture == .enabled ? .disabled : capture),
                    connectTimeout: .seconds(2), closeTimeout: .seconds(2), signalHandling: .stopAndReport)
}

/// Records a stream socket's events as short words: `open`, `data:5`, `end`, `error:…`, `close`.
final class EventLog {
    var events: [String] = []
    var received: [UInt8] = []

    func attach(_ socket: any StreamSocket, then react: ((SocketEvent) -> Void)? = nil) {
        socket.onEvent = { [unowned self] event in
            switch event {
            case .opened: events.append("open")
            case .data(let bytes):
                received += bytes
                if events.last != "data" { events.append("data") }
            case .peerFinished: events.append("end")
            case .error(let error): events.append("error:\(error)")
            case .closed: events.append("close")
            }
            react?(event)
        }
    }
}

/// The descriptors of this process that are sockets or pipes, from `/proc/self/fd`.
func socketAndPipeDescriptors() -> Set<String> {
    let directory = "/proc/self/fd"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
    var found: Set<String> = []
    for name in names {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\(name)") else {
            continue
        }
        if target.hasPrefix("socket:") || target.hasPrefix("pipe:") { found.insert("\(name) \(target)") }
    }
    return found
}

/// Every entry of `/proc/self/fd`.
func descriptorCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
}

/// The TCP segments of a capture, decoded, with their direction.
func tcpSegments(_ result: LoopbackRunResult) -> [(packet: CapturedPacket, ip: IPv4Packet, tcp: TCPSegment)] {
    result.packets.compactMap { packet in
        guard let ip = try? packet.parsed(), case .tcp(let segment) = ip.payload else { return nil }
        return (packet, ip, segment)
    }
}
