import Apps
import Rendering
import Runs
import Stack
import Tracing
import Wire

/// A lesson with its scenario run and every step bound to a trace event: what the stepper and
/// the validator work from. Building one runs the scenario once (deterministically).
public struct LessonRun {
    public let lesson: Lesson
    public let scenario: Scenario
    public let run: Run
    /// Every connection after every event, from the trace: what the endpoint panels show.
    public let timeline: ConnectionTimeline
    /// For each step, the index of its trace event.
    public let eventIndices: [Int]
    /// Per flow `src:port>dst:port`, the sender's initial sequence number (from its SYN).
    let initialSequence: [String: UInt32]
    /// Per connection `host:port>peer:port`, the textbook name of its ISN: `x` for the side whose
    /// SYN came first, `y` for the other.
    let isnSymbol: [String: String]

    /// What the run came from: the simulator, the kernel just now, or the stored capture.
    public let source: LessonRunSource

    public var events: [TraceEvent] { run.events }
    public var trace: Trace { run.trace }
    public var hostNames: [IPv4Address: String] { run.hostNames }

    /// Resolves the scenario, runs it with the lesson's overrides and ablation, and binds every
    /// step. Errors name the lesson file and the line of the problem. A lesson with
    /// `runtime: kernel` runs live on loopback when `kernel` is `.live` and packets can be
    /// captured there, else it reads the capture stored with the lesson.
    public init(_ lesson: Lesson, kernel: KernelRunChoice = .stored) throws(LessonErrors) {
        self.lesson = lesson
        if !lesson.parts.isEmpty {
            throw LessonErrors(errors: [LessonError(file: lesson.file, line: lesson.parts[0].part?.line ?? 1,
                                                    message: "a lesson in parts runs part by part (LessonRun.parts)")])
        }
        let scenario: Scenario
        if let name = lesson.scenarioName {
            guard let builtIn = BuiltInScenarios.scenario(named: name, overrides: lesson.header.overrides) else {
                throw LessonErrors(errors: [LessonError(file: lesson.file, line: lesson.header.lines["scenario"] ?? 1,
                                                        message: "unknown scenario '\(name)'")])
            }
            scenario = builtIn
        } else if let inline = lesson.inlineScenario {
            do {
                scenario = lesson.header.overrides.applied(to: try ScenarioLanguage.parse(inline.text, file: lesson.file))
            } catch {
                throw LessonErrors(errors: [LessonError(file: lesson.file, line: inline.line + max(0, error.line - 1),
                                                        message: "in the scenario: \(error.message)")])
            }
        } else {
            throw LessonErrors(errors: [LessonError(file: lesson.file, line: 1, message: "no scenario")])
        }
        self.scenario = scenario
        var errors: [LessonError]
        var indices: [Int]
        switch lesson.header.runtime {
        case .simulated:
            run = SimulatedRuntime(settings: StackSettings(ablation: lesson.header.ablation)).run(scenario)
            source = .simulated
            (indices, errors) = Self.bind(lesson, to: run)
            if let stop = run.budgetStop {
                errors.insert(LessonError(file: lesson.file, line: lesson.header.lines["scenario"] ?? 1,
                                          message: "the scenario runs too long: \(stop)"), at: 0)
            }
        case .kernel:
            var liveProblem: String?
            var live: (run: Run, indices: [Int])?
            if case .live(let runtime) = kernel {
                switch Self.liveRun(scenario, on: runtime) {
                case .success(let run):
                    let bound = Self.bind(lesson, to: run)
                    if bound.errors.isEmpty {
                        live = (run, bound.indices)
                    } else {
                        liveProblem = "the live run did not do what the lesson shows ("
                            + bound.errors[0].message + "); the kernel can race on loopback"
                    }
                case .failure(let problem): liveProblem = problem.message
                }
            }
            if let live {
                run = live.run
                source = .kernelLive
                (indices, errors) = (live.indices, [])
            } else {
                run = try Self.storedRun(lesson, scenario)
                source = .kernelStored(whyNotLive: liveProblem)
                (indices, errors) = Self.bind(lesson, to: run)
            }
        }
        timeline = ConnectionTimeline(run.events)
        let events = run.events
        var isn: [String: UInt32] = [:]
        var symbols: [String: String] = [:]
        for event in events {
            guard case let .packetSent(bytes, _) = event.kind, bytes.count >= 40, bytes[9] == 6 else { continue }
            let h = Int(bytes[0] & 0x0F) * 4
            guard bytes.count >= h + 14, bytes[h + 13] & 0x02 != 0 else { continue }
            let flow = Self.flowKey(bytes)
            if isn[flow] == nil {
                isn[flow] = UInt32(bytes[h + 4]) << 24 | UInt32(bytes[h + 5]) << 16 | UInt32(bytes[h + 6]) << 8 | UInt32(bytes[h + 7])
            }
            if let names = Self.connectionNames(bytes, hostNames: run.hostNames), symbols[names.local] == nil {
                symbols[names.local] = symbols[names.remote] == nil ? "x" : "y"
            }
        }
        initialSequence = isn
        isnSymbol = symbols
        eventIndices = indices
        if !errors.isEmpty { throw LessonErrors(errors: errors) }
    }

    /// The trace event of every step, and the problems binding them (a step bound to an event
    /// that never happens, steps going back in time, a quiz or focus on the wrong kind of event).
    static func bind(_ lesson: Lesson, to run: Run) -> (indices: [Int], errors: [LessonError]) {
        let events = run.events
        var errors: [LessonError] = []
        var indices: [Int] = []
        var previous = 0
        for step in lesson.steps {
            guard let index = step.binding.resolve(in: events, hostNames: run.hostNames) else {
                errors.append(LessonError(file: lesson.file, line: step.line,
                                          message: "step '\(step.heading)' is bound to an event that never happens in this run"))
                indices.append(previous)
                continue
            }
            if index < previous {
                errors.append(LessonError(file: lesson.file, line: step.line,
                                          message: "step '\(step.heading)' is bound to event \(index + 1), before the previous step's event \(previous + 1); steps go forward in time"))
            }
            if let quiz = step.quiz {
                let ok: Bool
                switch quiz {
                case .flags: ok = packetBytes(events[index]).map { $0.count > 20 && $0[9] == IPProtocol.tcp.rawValue } ?? false
                case .state: if case .stateChanged = events[index].kind { ok = true } else { ok = false }
                }
                if !ok {
                    errors.append(LessonError(file: lesson.file, line: step.quizLine ?? step.line,
                                              message: "'quiz: \(quiz.rawValue)' needs a step bound to "
                                                + (quiz == .flags ? "a TCP segment" : "a state change ('HOST enters STATE')")))
                }
            }
            if let focus = step.focus, packetBytes(events[index]) == nil {
                errors.append(LessonError(file: lesson.file, line: step.focusLine ?? step.line,
                                          message: "'focus: \(focus)' needs a step bound to a packet"))
            }
            indices.append(index)
            previous = max(previous, index)
        }
        return (indices, errors)
    }

    /// The packet an event carries, if any.
    public static func packetBytes(_ event: TraceEvent) -> [UInt8]? {
        switch event.kind {
        case .packetSent(let bytes, _), .packetReceived(let bytes), .packetDropped(let bytes, _), .packetDuplicated(let bytes):
            return bytes
        case .stateChanged, .timer, .socketCall, .socketEvent, .application, .congestion, .variables, .note:
            return nil
        }
    }

    /// `a.b.c.d:p>e.f.g.h:q` for a TCP/UDP packet; reversed with `reversed`.
    static func flowKey(_ bytes: [UInt8], reversed: Bool = false) -> String {
        let h = Int(bytes[0] & 0x0F) * 4
        guard bytes.count >= h + 4 else { return "" }
        let src = "\(bytes[12]).\(bytes[13]).\(bytes[14]).\(bytes[15]):\(Int(bytes[h]) << 8 | Int(bytes[h + 1]))"
        let dst = "\(bytes[16]).\(bytes[17]).\(bytes[18]).\(bytes[19]):\(Int(bytes[h + 2]) << 8 | Int(bytes[h + 3]))"
        return reversed ? "\(dst)>\(src)" : "\(src)>\(dst)"
    }

    /// The textbook names of a connection's own ISN and its peer's (`x`, `y`).
    public func isnSymbols(of connection: String) -> (local: String, peer: String) {
        let local = isnSymbol[connection] ?? "x"
        return (local, local == "x" ? "y" : "x")
    }

    /// The sender's and the receiver's connection names of a TCP packet, `host:port>peer:port`.
    static func connectionNames(_ bytes: [UInt8], hostNames: [IPv4Address: String]) -> (local: String, remote: String)? {
        guard bytes.count >= 24, bytes[9] == 6 else { return nil }
        let h = Int(bytes[0] & 0x0F) * 4
        guard bytes.count >= h + 4 else { return nil }
        func address(_ i: Int) -> IPv4Address {
            IPv4Address(UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3]))
        }
        guard let src = hostNames[address(12)], let dst = hostNames[address(16)] else { return nil }
        let sport = Int(bytes[h]) << 8 | Int(bytes[h + 1])
        let dport = Int(bytes[h + 2]) << 8 | Int(bytes[h + 3])
        return ("\(src):\(sport)>\(dst):\(dport)", "\(dst):\(dport)>\(src):\(sport)")
    }

    /// Both ends' initial sequence numbers for a TCP packet, once both SYNs are in the trace.
    func isn(for bytes: [UInt8]) -> (send: UInt32, receive: UInt32)? {
        guard bytes.count > 20, bytes[9] == 6, let send = initialSequence[Self.flowKey(bytes)] else { return nil }
        return (send, initialSequence[Self.flowKey(bytes, reversed: true)] ?? 0)
    }

    /// The decoded layers of the packet at trace event `index`, if it carries one; sequence
    /// numbers are noted relative to the ISNs, or as x and y with `.symbolic`, or not at all with
    /// `.absolute`.
    public func layers(at index: Int, sequence: SequenceDisplay = .relative) -> [PacketLayer]? {
        guard let bytes = Self.packetBytes(events[index]) else { return nil }
        let symbols = Self.connectionNames(bytes, hostNames: hostNames).map { names in
            (send: isnSymbols(of: names.local).local, receive: isnSymbols(of: names.local).peer)
        }
        return PacketDissector.layers(bytes, hostNames: hostNames, isn: sequence == .absolute ? nil : isn(for: bytes),
                                      symbols: sequence == .symbolic ? symbols : nil)
    }

    /// The connections to show beside event `index`: its connection and its peer's, in the
    /// scenario's host order (so the client's panel stays on the left whoever acts). Empty when no
    /// TCP connection has been mentioned yet.
    public func focusConnections(at index: Int) -> [String] {
        var i = index
        while i >= 0 {
            if let names = connectionNames(of: events[i]) {
                return names.sorted { hostRank($0) < hostRank($1) }
            }
            i -= 1
        }
        return []
    }

    /// Where a connection's local host stands in the scenario's host list, then its name.
    func hostRank(_ connection: String) -> (Int, String) {
        let host = EventSelector.host(ofConnection: connection)
        return (trace.header.hosts.firstIndex { $0.name == host } ?? Int.max, connection)
    }

    func connectionNames(of event: TraceEvent) -> [String]? {
        func pair(_ name: String) -> [String] {
            let parts = name.split(separator: ">")
            return parts.count == 2 ? [name, "\(parts[1])>\(parts[0])"] : [name]
        }
        switch event.kind {
        case .packetSent(let bytes, _), .packetReceived(let bytes), .packetDropped(let bytes, _), .packetDuplicated(let bytes):
            return Self.connectionNames(bytes, hostNames: hostNames).map { [$0.local, $0.remote] }
        case .stateChanged(let connection, _, _, _), .timer(let connection, _, _), .congestion(let connection, _, _, _):
            return pair(connection)
        case .variables(let connection, _):
            return pair(connection)
        case .application(let socket, _):
            return socket.contains(">") ? pair(socket) : nil
        case .socketCall, .socketEvent, .note:
            return nil
        }
    }

    /// `connection` as it stood right after event `index`, or nil if the trace has not mentioned it
    /// yet. Timer and congestion-window updates recorded right after the event, at the same instant,
    /// are part of it (a SYN goes out with its retransmission timer running). A variables event is
    /// not: the trace records variables before the events of the step that changed them, so one
    /// that follows belongs to the next thing that happens (after `close()`, SND.NXT grows with the
    /// FIN that is about to leave, not with the call).
    public func connection(_ name: String, after index: Int) -> ConnectionTimeline.View? {
        timeline.view(of: name, after: settledIndex(after: index))
    }

    /// The last event that still belongs to event `index`: the timer and congestion updates that
    /// follow it at the same instant.
    public func settledIndex(after index: Int) -> Int {
        var last = index
        while last + 1 < events.count, events[last + 1].time == events[index].time {
            switch events[last + 1].kind {
            case .timer, .congestion: last += 1
            case .variables, .packetSent, .packetReceived, .packetDropped, .packetDuplicated, .stateChanged,
                 .socketCall, .socketEvent, .application, .note:
                return last
            }
        }
        return last
    }
}
