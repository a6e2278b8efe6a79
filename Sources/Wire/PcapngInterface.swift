/// One capture interface of a pcapng section, as an Interface Description Block states it
/// (draft-ietf-opsawg-pcapng §4.2).
public struct PcapngInterface: Hashable, Sendable {
    /// The interface's name (`if_name`), or nil when the file does not give one.
    public var name: String?
    /// The link-layer header type of the interface's packets (the IDB's LinkType).
    public var linkType: PcapLinkType
    /// The most octets of a packet that are captured (the IDB's SnapLen); 0 means no limit.
    public var snapLength: UInt32

    public init(name: String? = nil, linkType: PcapLinkType = .raw, snapLength: UInt32 = 0) {
        self.name = name
        self.linkType = linkType
        self.snapLength = snapLength
    }
}
