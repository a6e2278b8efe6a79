import Tracing
import Wire

extension Trace {
    /// The trace of a simulated run of `scenario`: its header (hosts in declaration order with the
    /// addresses the network gave them, link, seed, profile) and `events`.
    init(scenario: Scenario, hostNames: [IPv4Address: String], events: [TraceEvent]) {
        let hosts = scenario.hosts.map { name in
            TraceHost(name: name, address: hostNames.first { $0.value == name }?.key ?? IPv4Address(0))
        }
        self.init(header: TraceHeader(scenario: scenario.name, seed: scenario.seed, profile: scenario.profile,
                                      hosts: hosts, link: scenario.link),
                  events: events)
    }
}
