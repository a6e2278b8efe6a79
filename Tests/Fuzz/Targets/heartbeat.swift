// Fuzz target: the heartbeat (length-framed long-connection) frame decoder, whole and in pieces.
import Protocols

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let piece = Int(bytes.first ?? 0) % 7 + 1
    var whole = HeartbeatFrameDecoder(maxPayloadLength: 4096)
    _ = whole.feed(bytes)
    _ = whole.finish()
    var split = HeartbeatFrameDecoder(maxPayloadLength: 4096)
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + piece)
        if split.feed(bytes[start..<end]).error != nil { break }
        start = end
    }
    _ = split.finish()
    return 0
}
