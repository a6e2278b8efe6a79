// Fuzz target: the UDP datagram codec, checksum verified and not.
import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let (source, destination) = (IPv4Address(10, 0, 0, 1), IPv4Address(10, 0, 0, 2))
    _ = try? UDPDatagram.parse(bytes, source: source, destination: destination, verifyChecksum: false)
    _ = try? UDPDatagram.parse(bytes, source: source, destination: destination, verifyChecksum: true)
    return 0
}
