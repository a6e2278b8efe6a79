// Fuzz target: the HTTP/1.x request and response parsers, fed the input whole and in pieces
// whose sizes come from the input's first byte.
import Protocols

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let piece = Int(bytes.first ?? 0) % 17 + 1
    var requests = HTTPRequestParser()
    var responses = HTTPResponseParser()
    responses.expectResponse(to: bytes.count % 2 == 0 ? .get : .head)
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + piece)
        if requests.feed(bytes[start..<end]).error != nil { break }
        start = end
    }
    _ = requests.finish()
    _ = responses.feed(bytes)
    _ = responses.finish()
    return 0
}
