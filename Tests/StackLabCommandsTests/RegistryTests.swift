import Checking
import Stack
@testable import StackLabCommands
import Testing
import Tracing
import Tutor

/// Profiles, ablations and timers each come from one list (`StackProfile`, `Ablation`, `TCPTimer`):
/// the command line, the scenario language, lessons and the checker all agree with it.
@Suite("One list each for profiles, ablations and timers")
struct RegistryTests {
    static func lesson(header: String, step: String = "## at first SYN from client") -> Result<Lesson, LessonErrors> {
        LessonParser.parse("title: t\ntitle.zh: t\nscenario: handshake\n\(header)\n\n\(step)\n[en]\nx\n[zh]\nx\n",
                           file: "01-t.md", fileName: "01-t.md")
    }

    @Test func profiles() throws {
        for command in ["run", "diagram"] {
            let option = try #require(Command.all.first { $0.name == command }?.options.first { $0.name == "profile" })
            guard case .choice(let choices) = option.kind else { Issue.record("--profile is not a choice"); continue }
            #expect(choices == StackProfile.names, "\(command)")
        }
        for profile in StackProfile.allCases {
            let scenario = "scenario s\nprofile \(profile)\nhosts a b\nat 0 b listen 80\nat 0 a connect b:80\n"
            #expect(try ScenarioLanguage.parse(scenario, file: "s.scn").profile == profile)
            if case .failure(let errors) = Self.lesson(header: "profile: \(profile)") { Issue.record("\(profile): \(errors)") }
            #expect(invoke(["run", "handshake", "--profile", profile.rawValue, "--json"]).status == 0)
        }
        #expect(invoke(["run", "handshake", "--profile", "bsd"]).status == 2)
    }

    @Test func ablations() throws {
        let list = invoke(["check", "--list", "--json"])
        #expect(list.status == 0)
        let value = try JSONParser().parse(bytes: Array(list.stdout.utf8))
        guard case .object(let members) = value, case .array(let ablations)? = members.first(where: { $0.0 == "ablations" })?.1
        else {
            Issue.record("no ablations in check --list --json")
            return
        }
        let names = ablations.compactMap { ablation -> String? in
            guard case .object(let fields) = ablation, case .string(let name)? = fields.first(where: { $0.0 == "name" })?.1
            else { return nil }
            return name
        }
        #expect(names == Ablation.names)
        for ablation in Ablation.allCases {
            if case .failure(let errors) = Self.lesson(header: "ablation: \(ablation)") { Issue.record("\(ablation): \(errors)") }
            #expect(invoke(["run", "handshake", "--ablate", ablation.name, "--json"]).status == 0, "\(ablation)")
            #expect(Invariant.catalogue.contains { $0.name == ablation.caughtBy.name })
        }
        let unknown = invoke(["run", "handshake", "--ablate", "no-tcp"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains(Ablation.names.joined(separator: ", ")))
    }

    @Test func timers() {
        for timer in TCPTimer.allCases {
            let selector = EventSelector.parse("at \(timer.rawValue) timer fires on client")
            guard case .success(let parsed) = selector, case .timer(let named, _) = parsed.target else {
                Issue.record("lessons cannot name the \(timer) timer")
                continue
            }
            #expect(named == timer)
        }
        guard case .failure(let error) = EventSelector.parse("at rto timer fires") else {
            Issue.record("an unknown timer was accepted")
            return
        }
        #expect(error.message.contains(TCPTimer.allCases.map(\.rawValue).joined(separator: ", ")))
    }
}
