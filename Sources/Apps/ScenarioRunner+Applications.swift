import Sockets
import Tracing

extension ScenarioRunner {
    /// Runs a timed step (`at`, `every`); an `every` step schedules its next run while it is
    /// before the step's `until` (or the scenario's time limit). `time` is when the step was due:
    /// the next run is due an interval later, however late this one ran (a real clock drifts).
    func performTimed(_ step: ScenarioStep, stepIndex: Int, at time: Int64) {
        perform(step, stepIndex: stepIndex)
        guard case .every(let interval, _, let until) = step.trigger, let host = hostsByName[step.host] else { return }
        let next = time + interval
        if let until { guard next < until else { return } } else { guard next <= scenario.timeLimit else { return } }
        host.at(nanoseconds: next) { [weak self] in self?.performTimed(step, stepIndex: stepIndex, at: next) }
    }

    /// When the scenario sets its own time limit and runs applications, says at the limit which
    /// long connections are still open: the run stops there, and nothing else would tell that a
    /// connection whose peer vanished is still waiting (the `dead-peer` scenario's third client).
    func scheduleHorizon() {
        let hasApplications = scenario.steps.contains { step in
            if case .application = step.operation { true } else { false }
        }
        guard hasApplications, scenario.timeLimit != ScenarioLanguage.defaultTimeLimit,
              let first = scenario.hosts.first, let host = hostsByName[first] else { return }
        host.at(nanoseconds: scenario.timeLimit) { [weak self] in
            guard let self else { return }
            self.record(host, .note(.timeLimitReached(limit: Quantity.durationText(self.scenario.timeLimit),
                                                      stillOpen: self.applications.openLongConnections)))
        }
    }
}
