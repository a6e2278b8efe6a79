// Fuzz target: the JSON Lines trace reader; what it reads must write back and read again.
import Tracing

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    if let trace = try? TraceFile.read(bytes: bytes, file: "fuzz.jsonl") {
        let again = try? TraceFile.read(bytes: TraceFile.bytes(of: trace), file: "again.jsonl")
        if again != trace { fatalError("a trace read from a file does not survive writing and reading again") }
    }
    return 0
}
