/// A node's network interface: an IPv4 address plugged into one end of a link.
public struct Interface {
    /// The interface's IPv4 address in host byte order (e.g. 10.0.0.1 is `0x0A00_0001`).
    public var address: UInt32
    /// The link end the interface is attached to.
    public let end: LinkEnd

    public init(address: UInt32, end: LinkEnd) {
        self.address = address
        self.end = end
    }
}

/// Builds an IPv4 address as a `UInt32` in host byte order: `ipv4(10, 0, 0, 1)`.
@inlinable
public func ipv4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> UInt32 {
    UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
}
