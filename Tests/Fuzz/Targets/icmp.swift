// Fuzz target: the ICMP message codec, checksum verified and not.
import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    _ = try? ICMPMessage.parse(bytes, verifyChecksum: false)
    _ = try? ICMPMessage.parse(bytes, verifyChecksum: true)
    return 0
}
