import Checking
import Stack
import Testing
import Tracing

/// The campaign exercises RFC 6675 recovery: its generator gives the linux profile lossy links, SACK
/// recovery runs in some of those cases, and every invariant holds on them.
@Suite("SACK recovery in the check campaign")
struct SACKCampaignTests {
    @Test("seeds 1–400: linux cases with loss are in the mix; SACK recovery runs in them; every invariant holds")
    func linuxWithLossInTheMix() {
        var lossyLinux: [UInt64] = []
        for seed: UInt64 in 1...400 {
            let checkCase = Checker.generate(seed: seed).value
            if checkCase.profile == .linux, checkCase.link.lossPPM > 0 || !checkCase.link.drops.isEmpty {
                lossyLinux.append(seed)
            }
        }
        #expect(lossyLinux.count >= 20, "\(lossyLinux.count) linux cases with loss in 400 seeds")
        var recovered = 0
        for seed in lossyLinux {
            let run = Checker.run(seed: seed)
            let entered = run.analysis.entries.contains { entry in
                if case .congestion(_, _, .enterSACKRecovery) = entry.item { return true }
                return false
            }
            if entered { recovered += 1 }
            let broken = Checker.violations(of: Invariant.catalogue.filter { $0.name != "determinism" }, in: run)
            #expect(broken.isEmpty, "seed \(seed): \(broken)")
        }
        #expect(recovered >= 3, "SACK recovery ran in \(recovered) of \(lossyLinux.count) lossy linux cases")
    }
}
