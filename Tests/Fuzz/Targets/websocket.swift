// Fuzz target: the WebSocket frame parser in both roles, fed whole and in pieces.
import Protocols

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let piece = Int(bytes.first ?? 0) % 13 + 1
    for role in [WebSocketRole.server, .client] {
        var whole = WebSocketFrameParser(role: role, maxFramePayload: 1 << 16, maxMessageSize: 1 << 17)
        _ = try? whole.parse(bytes)
        var split = WebSocketFrameParser(role: role, maxFramePayload: 1 << 16, maxMessageSize: 1 << 17)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + piece)
            if (try? split.parse(bytes[start..<end])) == nil { break }
            start = end
        }
    }
    return 0
}
