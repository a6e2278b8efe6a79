// Fuzz target: the lesson parser (header, inline scenario, step bindings, narration).
import Tutor

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    _ = LessonParser.parse(text, file: "Lessons/03-fuzz.md", fileName: "03-fuzz.md")
    return 0
}
