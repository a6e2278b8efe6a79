import Testing
import Tracing
@testable import Tutor

/// The endpoint panels against the trace, folded here independently of `ConnectionTimeline`:
/// at every step of every lesson each panel shows the state its connection is in right after the
/// step's event, and the variables last recorded up to that event.
@Suite("Panels tell the truth at every step")
struct PanelTruthTests {
    @Test(arguments: try lessonFiles().map(\.name))
    func panelStateIsTheStateRightAfterTheStepsEvent(file: String) throws {
        for run in try loadRuns(String(file.dropFirst(3).dropLast(3))) {
        for (step, eventIndex) in run.eventIndices.enumerated() {
            let panels = EndpointPanel.values(run: run, eventIndex: eventIndex, language: .en, sequence: .relative)
            for (panel, name) in zip(panels, run.focusConnections(at: eventIndex)) {
                var state: TCPState?
                var variables: TCPVariables?
                for event in run.events[...eventIndex] {
                    switch event.kind {
                    case .stateChanged(let connection, _, let to, _) where connection == name: state = to
                    case .variables(let connection, let values) where connection == name: variables = values
                    default: break
                    }
                }
                let where_ = "\(file) step \(step + 1) (\(run.lesson.steps[step].heading)), \(name)"
                #expect(panel.state == (state?.rawValue ?? UIText.notYet(.en)), "\(where_)")
                if let variables {
                    let sndNXT = panel.fields.first { $0.label == "SND.NXT" }?.value
                    #expect(sndNXT == "\(variables.sndNXT &- variables.iss)", "\(where_)")
                }
            }
        }
        }
    }

    @Test func panelsKeepTheirSidesFromStepToStep() throws {
        let run = try loadRun("teardown")
        for eventIndex in run.eventIndices {
            let names = run.focusConnections(at: eventIndex)
            #expect(names.first?.hasPrefix("client:") == true, "\(names)")
        }
    }

    @Test func closeCallDoesNotShowTheFINsSequenceNumberYet() throws {
        let run = try loadRun("teardown")
        let close = run.eventIndices[0]
        let client = try #require(run.connection("client:49152>server:80", after: close))
        #expect(client.state == .established)
        let variables = try #require(client.variables)
        #expect(variables.sndNXT &- variables.iss == 1)
    }
}
