// Fuzz target: the MQTT 3.1.1 packet parser, fed whole and in pieces.
import Protocols

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let piece = Int(bytes.first ?? 0) % 11 + 1
    var whole = MQTTPacketParser(maxPacketSize: 1 << 16)
    if let packets = try? whole.parse(bytes) {
        for packet in packets { _ = packet.encoded() }
    }
    var split = MQTTPacketParser(maxPacketSize: 1 << 16)
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + piece)
        if (try? split.parse(bytes[start..<end])) == nil { break }
        start = end
    }
    return 0
}
