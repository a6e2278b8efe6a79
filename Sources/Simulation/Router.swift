/// An IPv4 router: forwards each frame by destination address, longest prefix first.
///
/// For every arriving frame it
/// 1. drops it as `malformed` unless it holds a plausible IPv4 header (at least 20 bytes,
///    version 4, header length 20...frame length);
/// 2. drops it as `ttlExpired` if the TTL (byte 8) is 0 or 1, since forwarding would make it 0;
/// 3. looks the destination (bytes 16..<20) up in `routes`: the longest matching prefix wins,
///    among equal lengths the first added; no match is `noRoute`;
/// 4. decrements the TTL and updates the header checksum (bytes 10...11) incrementally
///    (RFC 1624, equation 3: HC' = ~(~HC + ~m + m')), and sends it out of the route's interface.
///
/// Drops are reported to `observer` as link events of the link the frame arrived on, with
/// `node` set to the router's name. Simplifications: no ICMP errors (Time Exceeded is the
/// stack's business), no fragmentation, no options processing, no local delivery.
public final class Router: Node {
    /// One forwarding entry.
    public struct Route: Hashable, Sendable {
        /// Network prefix in host byte order; bits beyond `prefixLength` are ignored.
        public var prefix: UInt32
        /// 0...32.
        public var prefixLength: Int
        /// Index of the outgoing interface.
        public var interfaceIndex: Int

        public init(prefix: UInt32, prefixLength: Int, interfaceIndex: Int) {
            precondition((0...32).contains(prefixLength), "prefix length must be 0...32")
            self.prefix = prefix
            self.prefixLength = prefixLength
            self.interfaceIndex = interfaceIndex
        }

        /// The network mask, e.g. `0xFFFF_FF00` for /24.
        public var mask: UInt32 { prefixLength == 0 ? 0 : UInt32.max << UInt32(32 - prefixLength) }

        /// Whether `address` lies in this route's prefix.
        public func matches(_ address: UInt32) -> Bool { (address ^ prefix) & mask == 0 }
    }

    /// The forwarding table, in the order routes were added.
    public private(set) var routes: [Route] = []

    /// Receives the router's drops; usually the world's observer.
    public var observer: (any LinkObserver)?

    /// Adds a route `prefix/prefixLength` via interface `interfaceIndex`.
    public func addRoute(prefix: UInt32, prefixLength: Int, interfaceIndex: Int) {
        routes.append(Route(prefix: prefix, prefixLength: prefixLength, interfaceIndex: interfaceIndex))
    }

    /// The route for `destination`: the longest matching prefix, the first added among equals.
    public func route(for destination: UInt32) -> Route? {
        var best: Route?
        for route in routes where route.matches(destination) {
            if best == nil || route.prefixLength > best!.prefixLength { best = route }
        }
        return best
    }

    public override func receive(_ frame: [UInt8], on index: Int) {
        guard frame.count >= 20, frame[0] >> 4 == 4, Int(frame[0] & 0x0F) * 4 >= 20,
              Int(frame[0] & 0x0F) * 4 <= frame.count else {
            return drop(frame, on: index, .malformed)
        }
        let ttl = frame[8]
        if ttl <= 1 { return drop(frame, on: index, .ttlExpired) }
        let destination = UInt32(frame[16]) << 24 | UInt32(frame[17]) << 16 | UInt32(frame[18]) << 8 | UInt32(frame[19])
        guard let route = route(for: destination) else { return drop(frame, on: index, .noRoute) }

        var forwarded = frame
        let oldWord = UInt16(ttl) << 8 | UInt16(frame[9])
        let newWord = UInt16(ttl - 1) << 8 | UInt16(frame[9])
        let oldChecksum = UInt16(frame[10]) << 8 | UInt16(frame[11])
        let newChecksum = Router.updatedChecksum(oldChecksum, oldWord: oldWord, newWord: newWord)
        forwarded[8] = ttl - 1
        forwarded[10] = UInt8(newChecksum >> 8)
        forwarded[11] = UInt8(newChecksum & 0xFF)
        send(forwarded, on: route.interfaceIndex)
    }

    /// RFC 1624 incremental update of an Internet checksum when one 16-bit word changes from
    /// `oldWord` to `newWord`: HC' = ~(~HC + ~m + m'), in one's complement arithmetic.
    public static func updatedChecksum(_ checksum: UInt16, oldWord: UInt16, newWord: UInt16) -> UInt16 {
        var sum = UInt32(~checksum) + UInt32(~oldWord) + UInt32(newWord)
        sum = (sum & 0xFFFF) + (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16)
        return ~UInt16(sum)
    }

    private func drop(_ frame: [UInt8], on index: Int, _ reason: DropReason) {
        guard let observer else { return }
        let end = interfaces[index].end
        observer.record(LinkEvent(time: end.link.currentTime, link: end.link.name,
                                  direction: LinkDirection(from: end.side.opposite), frameID: 0,
                                  frameLength: frame.count, kind: .dropped(reason), node: name, frame: frame))
    }
}
