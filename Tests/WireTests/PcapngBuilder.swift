/// Builds pcapng bytes by hand in either byte order, independently of `PcapngWriter`, so that the
/// reader is tested on files the writer cannot make (big-endian, several sections, SPB, NRB, ISB,
/// other timestamp units) and on deliberately broken ones.
struct PcapngBuilder {
    var bigEndian: Bool
    var bytes: [UInt8] = []
    /// Where each block starts, and its type's abbreviation as error fields spell it.
    var blocks: [(start: Int, name: String)] = []

    init(bigEndian: Bool) { self.bigEndian = bigEndian }

    func u16(_ value: UInt16) -> [UInt8] {
        let be = [UInt8(value >> 8), UInt8(value & 0xFF)]
        return bigEndian ? be : be.reversed()
    }

    func u32(_ value: UInt32) -> [UInt8] {
        let be = [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
        return bigEndian ? be : be.reversed()
    }

    func u64(_ value: UInt64) -> [UInt8] {
        bigEndian ? u32(UInt32(value >> 32)) + u32(UInt32(value & 0xFFFF_FFFF))
            : u32(UInt32(value & 0xFFFF_FFFF)) + u32(UInt32(value >> 32))
    }

    /// One option: code, length, value padded to 32 bits.
    func option(_ code: UInt16, _ value: [UInt8]) -> [UInt8] {
        u16(code) + u16(UInt16(value.count)) + value + Array(repeating: 0, count: (4 - value.count % 4) % 4)
    }

    func option(_ code: UInt16, _ text: String) -> [UInt8] { option(code, Array(text.utf8)) }

    var endOfOptions: [UInt8] { u16(0) + u16(0) }

    mutating func block(_ type: UInt32, _ body: [UInt8], name: String = "block") {
        blocks.append((bytes.count, name))
        let total = UInt32(12 + body.count)
        bytes += u32(type) + u32(total) + body + u32(total)
    }

    /// A Section Header Block in this builder's byte order, version 1.0, section length -1.
    mutating func sectionHeader(options: [UInt8] = []) {
        block(0x0A0D_0D0A, u32(0x1A2B_3C4D) + u16(1) + u16(0) + u64(UInt64.max) + options, name: "SHB")
    }

    mutating func interface(linkType: UInt16, snapLength: UInt32 = 0, options: [UInt8] = []) {
        block(1, u16(linkType) + u16(0) + u32(snapLength) + options, name: "IDB")
    }

    mutating func enhancedPacket(interface: UInt32 = 0, timestamp: UInt64, frame: [UInt8],
                                 originalLength: Int? = nil, options: [UInt8] = []) {
        let body = u32(interface) + u32(UInt32(timestamp >> 32)) + u32(UInt32(timestamp & 0xFFFF_FFFF))
            + u32(UInt32(frame.count)) + u32(UInt32(originalLength ?? frame.count))
            + frame + Array(repeating: 0, count: (4 - frame.count % 4) % 4) + options
        block(6, body, name: "EPB")
    }

    mutating func simplePacket(frame: [UInt8], originalLength: Int? = nil) {
        let padding = [UInt8](repeating: 0, count: (4 - frame.count % 4) % 4)
        block(3, u32(UInt32(originalLength ?? frame.count)) + frame + padding, name: "SPB")
    }

    /// A Name Resolution Block (§4.5) naming 10.0.0.1 "client", then nrb_record_end.
    mutating func nameResolution() {
        let record = [10, 0, 0, 1] + Array("client".utf8) + [0]
        let body = u16(1) + u16(UInt16(record.count)) + record + Array(repeating: 0, count: (4 - record.count % 4) % 4)
            + u16(0) + u16(0)
        block(4, body, name: "NRB")
    }

    /// An Interface Statistics Block (§4.6) for interface 0 with `isb_ifrecv`.
    mutating func interfaceStatistics() {
        block(5, u32(0) + u32(0) + u32(12345) + option(4, u64(7)) + endOfOptions, name: "ISB")
    }

    /// A Decryption Secrets Block (§4.7) holding a TLS key log line.
    mutating func decryptionSecrets() {
        let secrets = Array("CLIENT_RANDOM 00 11".utf8)
        block(0x0A, u32(0x544C_534B) + u32(UInt32(secrets.count)) + secrets
              + Array(repeating: 0, count: (4 - secrets.count % 4) % 4), name: "DSB")
    }
}
