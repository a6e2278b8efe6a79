import Apps
import Loopback
import Runs
import Tracing

/// `stacklab replay`: resolves the input to a scenario, replays it (`Replayer`), writes the kernel
/// trace and capture if asked, and prints the two-column ladder and the findings, or JSON.
enum ReplayHandler {
    /// Set to `1` to replay as a process without capture permission does (for tests): the capture is
    /// refused before any system call and only the socket-level comparison runs.
    static let noCaptureVariable = "STACKLAB_REPLAY_NO_CAPTURE"

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let replayer = makeReplayer(arguments, context)
        if arguments.flag("all") {
            return try ReplayAll.run(replayer: replayer, arguments: arguments, context)
        }
        let input = arguments.string("input") ?? ""
        try ScenarioOptions.checkBytes(arguments)
        let source = try ReplaySource.resolve(input, overrides: ScenarioOverrides(
            seed: arguments.unsigned("seed"), bytes: arguments.int("bytes")))
        if context.stderr.isTerminal && !arguments.flag("json") {
            context.stderr.print(context.stderr.dim("replaying \(source.scenario.name) on the kernel "
                                                     + "(Ctrl-C stops it and closes every socket)…"))
        }
        let (outcome, wall) = replay(source.scenario, with: replayer, context)
        let report: ReplayReport
        switch outcome {
        case .success(let value):
            report = value
        case .failure(let error):
            throw CommandFailure(error.description, status: ExitStatus.usage)
        }
        if let path = arguments.string("trace") {
            try ScenarioFiles.write(TraceFile.bytes(of: report.kernel.trace), to: path)
        }
        if let path = arguments.string("pcap") {
            if report.packetsCaptured {
                try ScenarioFiles.write(report.kernelReport.pcap, to: path)
            } else {
                context.stderr.print("warning: packets were not captured: \(path) not written")
            }
        }
        if arguments.flag("json") {
            context.stdout.print(ReplayJSON.value(of: report, input: input, source: source.description,
                                                  strict: replayer.strict, wall: wall).prettyText)
        } else {
            ReplayReportText.print(report, source: source.description, wall: wall, ascii: arguments.flag("ascii"),
                                   to: context.stdout)
        }
        return report.verdict.isMismatch ? ExitStatus.failure : ExitStatus.success
    }

    /// The replayer the options ask for; capture is refused when `STACKLAB_REPLAY_NO_CAPTURE=1`.
    /// In the real process Ctrl-C stops the kernel run, closes every descriptor and then ends the
    /// process as SIGINT would; a test's context leaves signals alone.
    static func makeReplayer(_ arguments: ParsedArguments, _ context: CommandContext) -> Replayer {
        Replayer(profile: arguments.string("profile").flatMap(StackProfile.init(rawValue:)),
                 strict: arguments.flag("strict"), loopback: loopbackRuntime(context))
    }

    /// The kernel runtime of a command: Ctrl-C closes every descriptor, then ends the process.
    static func loopbackRuntime(_ context: CommandContext) -> LoopbackRuntime {
        var options = LoopbackOptions(signalHandling: context.ownsSignals ? .stopAndReraise : .ignore)
        if context.environment[noCaptureVariable] == "1" { options.captureMode = .simulateDenied }
        return LoopbackRuntime(options: options)
    }

    /// Replays `scenario`, timing it with the command's stopwatch.
    static func replay(
        _ scenario: Scenario, with replayer: Replayer, _ context: CommandContext
    ) -> (Result<ReplayReport, ReplayError>, Duration) {
        var outcome: Result<ReplayReport, ReplayError> = .failure(.unknownScenario(scenario.name))
        let wall = context.stopwatch.measure {
            do throws(ReplayError) {
                outcome = .success(try replayer.replay(scenario))
            } catch {
                outcome = .failure(error)
            }
        }
        return (outcome, wall)
    }
}
