// Fuzz target: the pcapng reader (every block type it knows, either byte order), then the
// capture-to-trace reader.
import Tracing
import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    _ = try? PcapngReader.records(bytes)
    _ = try? CaptureReader.records(bytes)
    _ = try? PcapTraceReader.trace(fromPcap: bytes, name: "fuzz.pcapng")
    return 0
}
