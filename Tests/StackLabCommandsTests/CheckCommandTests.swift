import Testing

@Suite("stacklab check")
struct CheckCommandTests {
    @Test("a few seeds pass: exit 0, a summary table within 80 columns")
    func passes() {
        let result = invoke(["check", "--seeds", "20"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("stream-integrity"))
        #expect(result.stdout.contains("all 16 invariants held over 20 seeds"))
        for line in result.stdout.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
        #expect(result.stderr.isEmpty)   // no progress bar off a terminal
    }

    @Test("--ablate: the expected failure, exit 1, with seed, case and trace")
    func ablation() {
        let result = invoke(["check", "--seeds", "5", "--ablate", "zero-isn", "--invariant", "isn-distinct"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("invariant isn-distinct failed (ablation zero-isn) at seed "))
        #expect(result.stdout.contains("trace:"))
        #expect(result.stdout.contains("both chose ISN 0"))
    }

    @Test("--json reports the tallies")
    func json() {
        let result = invoke(["check", "--seeds", "3", "--invariant", "handshake", "--json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"name\": \"handshake\""))
        #expect(result.stdout.contains("\"passed\": true"))
    }

    @Test("--list describes every invariant and ablation")
    func list() {
        let result = invoke(["check", "--list"])
        #expect(result.status == 0)
        for name in ["stream-integrity", "state-machine", "rto-backoff", "time-wait", "determinism",
                     "no-retransmission", "checksum-not-verified", "zero-isn", "no-fast-retransmit"] {
            #expect(result.stdout.contains(name), "\(name)")
        }
    }

    @Test("unknown names get the nearest suggestion and exit 2")
    func unknownNames() {
        let invariant = invoke(["check", "--invariant", "time-wiat"])
        #expect(invariant.status == 2)
        #expect(invariant.stderr.contains("time-wait"))
        let ablation = invoke(["check", "--ablate", "zero-isn2"])
        #expect(ablation.status == 2)
        #expect(ablation.stderr.contains("'zero-isn'"))
    }

    @Test("--seeds 0 is a clear error, exit 2")
    func zeroSeeds() {
        let result = invoke(["check", "--seeds", "0"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("seeds"))
        #expect(result.stdout.isEmpty)
    }
}
