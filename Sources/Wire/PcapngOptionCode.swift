/// The pcapng option codes StackLab writes or reads (draft-ietf-opsawg-pcapng §3.5 for the ones
/// every block may carry, §4.1 to §4.3 for a block's own; codes are only unique within a block type).
enum PcapngOptionCode {
    /// `opt_endofopt`: the end of the options.
    static let endOfOptions: UInt16 = 0
    /// `opt_comment`: a UTF-8 comment, not terminated; any block may carry several.
    static let comment: UInt16 = 1
    /// `shb_userappl` (SHB): the application that wrote the section.
    static let userApplication: UInt16 = 4
    /// `if_name` (IDB): the interface's name.
    static let interfaceName: UInt16 = 2
    /// `if_tsresol` (IDB): one octet, the timestamp resolution.
    static let timestampResolution: UInt16 = 9
    /// `if_tsoffset` (IDB): a signed 64-bit number of seconds added to every timestamp.
    static let timestampOffset: UInt16 = 14
    /// `epb_flags` (EPB): 32 bits, direction in bits 0 and 1.
    static let packetFlags: UInt16 = 2
}
