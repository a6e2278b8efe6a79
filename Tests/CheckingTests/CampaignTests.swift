import Checking
import Stack
import Testing

@Suite("Check campaigns: jobs, shards, constant memory")
struct CampaignTests {
    @Test("the result is the same for 1 and 4 jobs, counterexamples included")
    func jobsDoNotChangeTheResult() {
        let invariant = Invariant.named("isn-distinct")!
        let one = CheckCampaign(seeds: 1...40, invariants: [invariant], ablation: .zeroISN, jobs: 1)
        let four = CheckCampaign(seeds: 1...40, invariants: [invariant], ablation: .zeroISN, jobs: 4)
        let result = one.run()
        #expect(result == four.run())
        #expect(!result.passed && result.tallies[0].failingSeeds.count == CheckCampaign.keptFailingSeeds)
        let shrunkByOne = one.counterexamples(for: result).map { ($0.seed, $0.shrunk, $0.message) }
        let shrunkByFour = four.counterexamples(for: result).map { ($0.seed, $0.shrunk, $0.message) }
        #expect(shrunkByOne.count == 1)
        #expect(shrunkByOne.elementsEqual(shrunkByFour) { $0 == $1 })
    }

    @Test("results of disjoint seed ranges merge into the result of their union")
    func shardsMerge() throws {
        let whole = CheckCampaign(seeds: 1...30, jobs: 2).run()
        let parts = [21...30, 1...7, 8...20].map { CheckCampaign(seeds: $0, jobs: 1).run() }
        #expect(try CampaignResult.merge(parts) == whole)
        #expect(throws: CampaignResult.MergeError.self) { try CampaignResult.merge([parts[1], parts[0]] + [parts[1]]) }
        #expect(throws: CampaignResult.MergeError.self) { try CampaignResult.merge([parts[0], parts[1]]) }
    }

    @Test("memory does not grow with the cases: nothing of a case outlives its check")
    func constantMemory() {
        let census = NetworkCensus()
        NetworkCensus.$current.withValue(census) {
            _ = CheckCampaign(seeds: 1...200, jobs: 2).run()
            let afterFew = (made: census.made, alive: census.alive)
            _ = CheckCampaign(seeds: 201...2_000, jobs: 2).run()
            // Each case makes a network with two hosts and a recorder, and runs twice for the
            // determinism invariant; none of them may be left alive.
            #expect(afterFew.made >= 200 * 4)
            #expect(census.made >= 2_000 * 4)
            #expect(afterFew.alive == 0)
            #expect(census.alive <= afterFew.alive + 2)
        }
    }
}
