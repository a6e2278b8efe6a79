// Fuzz target: the text (packetdrill-like) trace reader, which rebuilds packets from their lines.
import Tracing
import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    if let lines = try? TextTrace.read(text, file: "fuzz.txt") {
        for line in lines { _ = line.packet?.emit() }
    }
    return 0
}
