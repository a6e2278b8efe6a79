// Fuzz target: the scenario language; what parses prints back and parses to the same scenario.
import Tracing

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    if let scenario = try? ScenarioLanguage.parse(text, file: "fuzz.scn") {
        let printed = ScenarioLanguage.format(scenario)
        guard let again = try? ScenarioLanguage.parse(printed, file: "printed.scn") else {
            fatalError("a parsed scenario prints as text that does not parse:\n\(printed)")
        }
        if again != scenario { fatalError("a parsed scenario does not survive printing:\n\(printed)") }
    }
    return 0
}
