// Fuzz target: the classic pcap reader, then the capture-to-trace reader `diagram` and `check` use.
import Tracing
import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    _ = try? PcapReader.records(bytes)
    _ = try? PcapTraceReader.trace(fromPcap: bytes, name: "fuzz.pcap")
    _ = try? PcapTraceReader.trace(fromPcap: bytes, name: "fuzz.pcap", limit: 1)
    return 0
}
