import Foundation
import Loopback
import Sockets
import TestSupport
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
/// Options for a test network. Signals are not relayed: tests run in parallel in one process, and
/// a relayed signal stops every relaying loop; only the signal test relays them.
func testOptions(capture: LoopbackOptions.CaptureMode = .enabled, firstAddress: IPv4Address = IPv4Address(127, 0, 0, 1),
                 signalHandling: LoopbackOptions.SignalHandling = .ignore) -> LoopbackOptions {
    LoopbackOptions(firstAddress: firstAddress,
                    captureMode: canCapture ? capture : (capture == .enabled ? .disabled : capture),
                    connectTimeout: 2 * 1_000_000_000, closeTimeout: 2 * 1_000_000_000, signalHandling: signalHandling)
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
/// This process's TCP and UDP sockets bound to an address of `127.x.y.*` (`x.y` the network of a
/// test's own addresses), as `fd socket:[inode]`: tests run in parallel, so a leak check counts
/// only the sockets of its own addresses.
func socketDescriptors(on network: (UInt8, UInt8)) -> Set<String> {
    var inodes: Set<String> = []
    for file in ["/proc/net/tcp", "/proc/net/udp"] {
        // Read to the end: a procfs file reports size 0 and hands out a page per read.
        guard let handle = FileHandle(forReadingAtPath: file), let data = try? handle.readToEnd() else { continue }
        try? handle.close()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 9, let colon = fields[1].firstIndex(of: ":"),
                  let address = UInt32(fields[1][..<colon], radix: 16) else { continue }
            // /proc/net/tcp prints the address in host byte order of a little-endian machine.
            let octets = (UInt8(address & 0xFF), UInt8(address >> 8 & 0xFF), UInt8(address >> 16 & 0xFF))
            if octets == (127, network.0, network.1) { inodes.insert(String(fields[9])) }
        }
    }
    return networkSocketDescriptors().filter { entry in
        inodes.contains(String(entry.split(separator: "[").last?.dropLast() ?? ""))
    }
}

func networkSocketDescriptors() -> Set<String> {
    var excluded: Set<String> = []
    for (file, column) in [("/proc/net/unix", 6), ("/proc/net/netlink", 9)] {
        // Read to the end: a procfs file reports size 0 and hands out a page per read.
        guard let handle = FileHandle(forReadingAtPath: file), let data = try? handle.readToEnd() else { continue }
        try? handle.close()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst() {
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
