import Simulation
import Tracing
import Wire

/// An IPv4 router (RFC 1812): forwards each packet by destination address, longest prefix first.
///
/// For every arriving frame it parses the IPv4 header with Wire's codec, checksum verified
/// (RFC 1812 §5.2.2), and drops it as malformed otherwise; drops it when forwarding would take the
/// TTL to 0 (§5.3.1); looks the destination up (the longest matching prefix wins, the first added
/// among equals; no match is "no route"); decrements the TTL and updates the header checksum
/// incrementally (RFC 1624), and sends it out of the route's interface. Each drop is a trace event
/// at the router. Simplifications: no ICMP errors, no fragmentation, no options processing, no
/// local delivery.
final class SimulatedRouter: Node {
    /// One forwarding entry.
    struct Route: Hashable, Sendable {
        var prefix: IPv4Address
        /// 0...32.
        var prefixLength: Int
        var interfaceIndex: Int

        /// The network mask, e.g. `0xFFFF_FF00` for /24.
        var mask: UInt32 { prefixLength == 0 ? 0 : UInt32.max << UInt32(32 - prefixLength) }

        func matches(_ address: IPv4Address) -> Bool { (address.rawValue ^ prefix.rawValue) & mask == 0 }
    }

    private let scheduler: Scheduler
    private let observer: any TraceObserver
    /// The forwarding table, in the order routes were added.
    private(set) var routes: [Route] = []

    init(name: String, scheduler: Scheduler, observer: any TraceObserver) {
        self.scheduler = scheduler
        self.observer = observer
        super.init(name: name)
    }

    func addRoute(prefix: IPv4Address, prefixLength: Int, interfaceIndex: Int) {
        routes.append(Route(prefix: prefix, prefixLength: max(0, min(32, prefixLength)), interfaceIndex: interfaceIndex))
    }

    /// The route for `destination`: the longest matching prefix, the first added among equals.
    func route(for destination: IPv4Address) -> Route? {
        var best: Route?
        for route in routes where route.matches(destination) {
            if best.map({ route.prefixLength > $0.prefixLength }) ?? true { best = route }
        }
        return best
    }

    override func receive(_ frame: consuming [UInt8], on index: Int) {
        let header: IPv4Header
        do {
            header = try IPv4Header.parse(frame, verifyChecksum: true)
        } catch {
            return drop(frame, error.kind == .badChecksum ? .badChecksum(field: error.field) : .malformed(detail: error.description))
        }
        guard header.ttl > 1 else { return drop(frame, .ttlExpired) }
        guard let route = route(for: header.destination) else { return drop(frame, .noRoute) }
        let oldWord = UInt16(header.ttl) << 8 | UInt16(frame[9])
        var forwarded = frame
        let newWord = oldWord - 0x100
        let checksum = InternetChecksum.updated(header.headerChecksum, replacing: oldWord, with: newWord)
        forwarded[8] = header.ttl - 1
        forwarded[10] = UInt8(checksum >> 8)
        forwarded[11] = UInt8(checksum & 0xFF)
        send(forwarded, on: route.interfaceIndex)
    }

    private func drop(_ frame: [UInt8], _ reason: PacketDropReason) {
        let time = scheduler.now.nanoseconds
        if observer.wantsEvents {
            observer.record(TraceEvent(time: time, node: name, kind: .packetDropped(bytes: frame, reason: reason)))
        } else {
            observer.count(at: time)
        }
    }
}
