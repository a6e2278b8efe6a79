/// Which way a captured packet went through its interface: the direction bits (0 and 1) of a pcapng
/// Enhanced Packet Block's `epb_flags` option (draft-ietf-opsawg-pcapng §4.3.1).
public enum PacketDirection: String, Hashable, Sendable {
    /// Received by the capturing host (bits 01).
    case inbound
    /// Sent by the capturing host (bits 10).
    case outbound

    /// The two direction bits of `epb_flags`.
    var flagBits: UInt32 {
        switch self {
        case .inbound: 1
        case .outbound: 2
        }
    }

    /// The direction that `epb_flags` states, or nil for 00 ("not available") and the undefined 11.
    init?(flags: UInt32) {
        switch flags & 0b11 {
        case 1: self = .inbound
        case 2: self = .outbound
        default: return nil
        }
    }
}
