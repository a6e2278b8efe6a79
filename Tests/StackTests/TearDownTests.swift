import Apps
import Runs
import Stack
import Testing

@Suite("A run leaves nothing behind")
struct TearDownTests {
    @Test("hosts, networks and recorders end with the run, for every built-in scenario", arguments: BuiltInScenarios.names)
    func nothingOutlivesARun(_ name: String) {
        let census = NetworkCensus()
        NetworkCensus.$current.withValue(census) {
            _ = run(name)
            _ = SimulatedRuntime().count(BuiltInScenarios.scenario(named: name)!)
        }
        #expect(census.made >= 6)
        #expect(census.alive == 0)
    }
}
