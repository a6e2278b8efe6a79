import Foundation
import Loopback
import Sockets
import Testing
import Wire

/// Every loopback test, run one at a time: they share 127.0.0.1 and 127.0.0.2, the process's
/// signal dispositions and its descriptor table (so other targets' loopback tests wait too).
@Suite(.serialized, .loopbackLock) struct LoopbackTests {}

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
                    connectTimeout: 2 * 1_000_000_000, closeTimeout: 2 * 1_000_000_000, signalHandling: .stopAndReport)
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

/// The descriptors of this process that are sockets other than Unix-domain and netlink ones: the
/// TCP, UDP and packet sockets this module creates, whatever their state. (`/proc/self/fd` says
/// only `socket:[inode]`; `/proc/net/unix` and `/proc/net/netlink` list the inodes to leave out.
/// A closed TCP socket is in no table, so it cannot be found by inclusion.)
///
/// Not the raw count of `/proc/self/fd`: in a full `swift test` other suites run in this process at
/// the same time and spawn processes, opening pipes and Unix socket pairs, so only the kinds of
/// descriptor this module creates are compared (its pipe is counted by `OpenDescriptors`).
func networkSocketDescriptors() -> Set<String> {
    var excluded: Set<String> = []
    for (file, column) in [("/proc/net/unix", 6), ("/proc/net/netlink", 9)] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count > column { excluded.insert(String(fields[column])) }
        }
    }
    let directory = "/proc/self/fd"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
    var found: Set<String> = []
    for name in names {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\(name)"),
              target.hasPrefix("socket:[") else { continue }
        let inode = String(target.dropFirst("socket:[".count).dropLast())
        if !excluded.contains(inode) { found.insert("\(name) \(target)") }
    }
    return found
}

/// The TCP segments of a capture, decoded, with their direction.
func tcpSegments(_ result: LoopbackRunResult) -> [(packet: CapturedPacket, ip: IPv4Packet, tcp: TCPSegment)] {
    result.packets.compactMap { packet in
        guard let ip = try? packet.parsed(), case .tcp(let segment) = ip.payload else { return nil }
        return (packet, ip, segment)
    }
}
