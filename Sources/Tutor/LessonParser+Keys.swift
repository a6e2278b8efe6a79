import Apps
import Rendering
import Stack
import Tracing

extension LessonParser {
    /// Sets what the `key: value` line on `line` says, in the lesson header or in a part (whose
    /// lesson starts as a copy of the header's, so a part changes only the keys it names).
    /// `keyLines` are the keys given so far in this block, for duplicates.
    static func apply(key: String, value: String, line: Int, to lesson: inout Lesson, keyLines: inout [String: Int],
                      runtimeIsInvalid: inout Bool, fail: (Int, String) -> Void) {
        if let first = keyLines[key], headerKeys.contains(key) {
            fail(line, "duplicate header key '\(key)' (first given on line \(first))")
        }
        keyLines[key] = line
        lesson.header.lines[key] = line
        switch key {
        case "title", "title.en": lesson.titles[.en] = value
        case "title.zh": lesson.titles[.zh] = value
        case "scenario":
            lesson.scenarioName = nil
            if value != "inline" {
                if BuiltInScenarios.scenario(named: value) == nil {
                    let hint = nearest(value, BuiltInScenarios.names).map { " (did you mean '\($0)'?)" } ?? ""
                    fail(line, "unknown scenario '\(value)'\(hint); use a built-in name or 'inline' with a ```scenario block")
                }
                lesson.scenarioName = value
            }
        case "seed":
            if let seed = UInt64(value) { lesson.header.overrides.seed = seed } else { fail(line, "seed must be a whole number, not '\(value)'") }
        case "profile":
            if let profile = StackProfile(rawValue: value) { lesson.header.overrides.profile = profile } else {
                fail(line, "profile is one of \(StackProfile.names.joined(separator: ", ")), not '\(value)'")
            }
        case "rtt":
            if let ms = Int64(value.trimmingSuffix("ms").trimmed()), ms >= 0 { lesson.header.overrides.rtt = ms * 1_000_000 } else {
                fail(line, "rtt is a whole number of milliseconds, e.g. 'rtt: 20', not '\(value)'")
            }
        case "bytes":
            if let bytes = Int(value), bytes >= 0, bytes <= InputLimits.bytesPerSend {
                lesson.header.overrides.bytes = bytes
            } else if value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) && !value.isEmpty {
                fail(line, "bytes: \(value) is over the limit \"bytes per send\" "
                     + "(\(InputLimits.grouped(InputLimits.bytesPerSend)) bytes)")
            } else {
                fail(line, "bytes must be a whole number, not '\(value)'")
            }
        case "loss", "corrupt", "reorder", "duplicate":
            guard let ppm = probabilityPPM(value) else {
                fail(line, "\(key) is a probability from 0 to 1 (e.g. 0.05) or a percentage (5%), not '\(value)'")
                return
            }
            switch key {
            case "loss": lesson.header.overrides.lossPPM = ppm
            case "corrupt": lesson.header.overrides.corruptPPM = ppm
            case "reorder": lesson.header.overrides.reorderPPM = ppm
            default: lesson.header.overrides.duplicatePPM = ppm
            }
        case "jitter":
            if let ms = Int64(value.trimmingSuffix("ms").trimmed()), ms >= 0 { lesson.header.overrides.jitter = ms * 1_000_000 } else {
                fail(line, "jitter is a whole number of milliseconds, not '\(value)'")
            }
        case "isn":
            if let display = SequenceDisplay(rawValue: value) { lesson.header.sequence = display } else {
                fail(line, "isn is one of \(SequenceDisplay.names.joined(separator: ", ")), not '\(value)'")
            }
        case "ablation":
            if let ablation = Ablation(rawValue: value) { lesson.header.ablation = ablation } else {
                let hint = nearest(value, Ablation.names).map { " (did you mean '\($0)'?)" } ?? ""
                fail(line, "unknown ablation '\(value)'\(hint); ablations: \(Ablation.names.joined(separator: ", "))")
            }
        case "runtime":
            if let runtime = LessonRuntime(rawValue: value) { lesson.header.runtime = runtime } else {
                runtimeIsInvalid = true
                fail(line, "runtime is simulated or kernel, not '\(value)'")
            }
        case "capture":
            if let problem = captureProblem(value) { fail(line, problem) } else { lesson.header.capture = value }
        default:
            let hint = nearest(key, headerKeys).map { " (did you mean '\($0)'?)" } ?? ""
            fail(line, "unknown header key '\(key)'\(hint)")
        }
    }

    /// The checks that need the whole header (or the whole part): a kernel lesson has a capture, a
    /// capture belongs to a kernel lesson, the kernel cannot be ablated, a scenario is named.
    static func checkRunKeys(_ lesson: Lesson, runtimeIsInvalid: Bool, at line: Int, fail: (Int, String) -> Void) {
        if lesson.header.runtime == .kernel && lesson.header.capture == nil && lesson.header.lines["capture"] == nil {
            fail(lesson.header.lines["runtime"] ?? line, "'runtime: kernel' needs 'capture: captures/FILE.jsonl', the kernel trace "
                 + "used where a live run is not possible (write it with 'stacklab replay SCENARIO --trace FILE')")
        }
        if lesson.header.runtime == .simulated, !runtimeIsInvalid, let capture = lesson.header.lines["capture"] {
            fail(capture, "'capture:' is for lessons run on the kernel; add 'runtime: kernel'")
        }
        if lesson.header.runtime == .kernel, let ablation = lesson.header.lines["ablation"] {
            fail(ablation, "an ablation breaks StackLab's own TCP; the kernel's cannot be broken ('runtime: kernel')")
        }
        if lesson.scenarioName == nil && lesson.inlineScenario == nil {
            fail(lesson.header.lines["scenario"] ?? line,
                 "the header names no scenario: 'scenario: NAME' or 'scenario: inline' with a ```scenario block")
        }
    }
}
