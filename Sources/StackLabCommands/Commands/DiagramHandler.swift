import Apps
import Foundation
import Rendering
import Runs
import Tracing
import Wire

/// `stacklab diagram`: reads a scenario, a pcap or a trace file, and draws it.
enum DiagramHandler {
    /// Trace and capture files larger than this are refused unread.
    static let maximumInputSize = 256 << 20

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let input = arguments.string("input") ?? ""
        let format = arguments.string("format") ?? "ascii"
        let output = arguments.string("output")
        let trace = try loadTrace(input, arguments: arguments)
        let toTerminal = output == nil && context.stdout.isTerminal
        let options = DiagramOptions(ascii: arguments.flag("ascii"), colors: output == nil && context.stdout.allowsColor,
                                     absolute: arguments.flag("absolute"))
        switch format {
        case "pcap":
            let bytes = TracePcap.bytes(of: trace)
            guard let output else {
                if toTerminal {
                    throw UsageError(.other("--format pcap writes binary: give -o FILE or redirect standard output"))
                }
                FileHandle.standardOutput.write(Data(bytes))
                return ExitStatus.success
            }
            try write(bytes, to: output)
        default:
            let text: String
            switch format {
            case "svg": text = SVGLadderRenderer(trace: trace, options: options).render()
            case "mermaid": text = MermaidRenderer.render(trace, options: options)
            case "timeseq":
                let graph = TimeSequenceGraph(trace: trace, options: options)
                text = toTerminal || arguments.flag("ascii") ? graph.text() : graph.svg()
            default: text = LadderRenderer(trace: trace, options: options).render()
            }
            if let output {
                try write(Array(text.utf8), to: output)
            } else {
                context.stdout.write(text)
            }
        }
        return ExitStatus.success
    }

    private static func write(_ bytes: [UInt8], to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw CommandFailure("\(path): cannot write the file")
        }
    }

    /// A built-in scenario (run now), a pcap file (by its magic number) or a JSON Lines trace.
    static func loadTrace(_ input: String, arguments: ParsedArguments) throws -> Trace {
        let overrides = ScenarioOverrides(
            seed: arguments.int("seed").map { UInt64($0) },
            rtt: arguments.double("rtt").map { Int64(($0 * 1_000_000).rounded()) },
            lossPPM: arguments.double("loss").map { Int(($0 * 1_000_000).rounded()) },
            profile: arguments.string("profile"),
            bytes: arguments.int("bytes"))
        if let scenario = BuiltInScenarios.scenario(named: input, overrides: overrides) {
            return SimulatedRun(scenario).trace
        }
        guard ScenarioFiles.isFile(input) else {
            _ = try ScenarioResolver.scenario(named: input, overrides: overrides)
            throw CommandFailure("\(input): no such file or scenario")
        }
        if input.hasSuffix(".scn") {
            return SimulatedRun(overrides.applied(to: try ScenarioFiles.readScenario(at: input))).trace
        }
        let bytes = try ScenarioFiles.read(input, limit: maximumInputSize)
        if input.hasSuffix(".jsonl") {
            do {
                return try TraceFile.read(bytes: bytes, file: input)
            } catch {
                throw CommandFailure(error.description)
            }
        }
        let name = input.split(separator: "/").last.map(String.init) ?? input
        do {
            return try PcapTraceReader.trace(fromPcap: bytes, name: name, limit: arguments.int("limit"))
        } catch {
            throw CommandFailure("\(input): \(error)")
        }
    }
}
