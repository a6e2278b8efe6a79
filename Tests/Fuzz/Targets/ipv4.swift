// Fuzz target: the IPv4 codec (and the TCP, UDP or ICMP codec under it), checksums verified and not.
import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    if let packet = try? IPv4Packet.parse(bytes, verifyChecksums: false) {
        // What parses re-encodes, and the re-encoding parses again.
        _ = try? IPv4Packet.parse(packet.emit(), verifyChecksums: false)
    }
    _ = try? IPv4Packet.parse(bytes)
    return 0
}
