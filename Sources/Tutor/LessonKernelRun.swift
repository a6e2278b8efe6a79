import Apps
import Loopback
import Runs
import Tracing

/// Whether a lesson with `runtime: kernel` may run its scenario on the kernel now.
public enum KernelRunChoice {
    /// Read the capture stored with the lesson (deterministic: what `lessons --validate` and the
    /// tests use).
    case stored
    /// Run on loopback with this runtime when packets can be captured, else read the stored capture.
    case live(LoopbackRuntime)
}

/// Where a lesson's run came from, as the lesson's header line says.
public enum LessonRunSource: Hashable, Sendable {
    /// StackLab's simulated stack.
    case simulated
    /// The Linux kernel, just now, on loopback.
    case kernelLive
    /// The kernel trace stored with the lesson; `whyNotLive` says why it was not run live (nil
    /// when a live run was not asked for).
    case kernelStored(whyNotLive: String?)
}

extension LessonRun {
    /// The scenario on the kernel, or why that is not possible: without a capture (no root or
    /// CAP_NET_RAW) the trace would hold no packets to step through.
    static func liveRun(_ scenario: Scenario, on runtime: LoopbackRuntime) -> Result<Run, RuntimeError> {
        do {
            let (run, report) = try runtime.runWithReport(scenario)
            if case .unavailable(let reason) = report.capture {
                return .failure(RuntimeError("\(reason)"))
            }
            if !run.failures.isEmpty { return .failure(RuntimeError("the live run failed: \(run.failures[0])")) }
            return .success(run)
        } catch {
            return .failure(error)
        }
    }

    /// The capture file's path beside the lesson file (`Lessons/captures/x.jsonl`).
    static func capturePath(_ lesson: Lesson) -> String? {
        guard let capture = lesson.header.capture else { return nil }
        guard let slash = lesson.file.lastIndex(of: "/") else { return capture }
        return lesson.file[...slash] + capture
    }

    /// The kernel trace stored with the lesson, checked to be a kernel run of the lesson's scenario.
    static func storedRun(_ lesson: Lesson, _ scenario: Scenario) throws(LessonErrors) -> Run {
        let line = lesson.header.lines["capture"] ?? 1
        func failure(_ message: String) -> LessonErrors {
            LessonErrors(errors: [LessonError(file: lesson.file, line: line, message: message)])
        }
        guard let path = lesson.header.capture, let text = lesson.captureText else {
            throw failure("the capture '\(lesson.header.capture ?? "")' named here could not be read")
        }
        let trace: Trace
        do {
            trace = try TraceFile.read(text, file: capturePath(lesson) ?? path)
        } catch {
            let field = error.field.map { "field \"\($0)\": " } ?? ""
            throw LessonErrors(errors: [LessonError(file: error.file, line: error.line, message: field + error.message)])
        }
        guard trace.header.profile == TraceSource.kernelProfile else {
            throw failure("the capture '\(path)' is a trace of profile '\(trace.header.profile)', not a kernel trace "
                          + "(write one with 'stacklab replay \(scenario.name) --trace \(path)')")
        }
        guard trace.header.scenario == scenario.name else {
            throw failure("the capture '\(path)' records scenario '\(trace.header.scenario)', not the lesson's '\(scenario.name)'")
        }
        return Run(scenario: scenario, runtime: "kernel", trace: trace, failures: [], reachedEventLimit: false)
    }
}
