import Foundation
import Testing

@Suite("stacklab check")
struct CheckCommandTests {
    @Test("a few seeds pass: exit 0, a summary table within 80 columns")
    func passes() {
        let result = invoke(["check", "--seeds", "20"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("stream-integrity"))
        #expect(result.stdout.contains("all 17 invariants held over 20 seeds"))
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
                     "no-retransmission", "checksum-not-verified", "zero-isn", "no-fast-retransmit",
                     "sack-ignored", "sack-lost-first"] {
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

@Suite("stacklab check --jobs, --shard and --merge")
struct CheckCampaignCommandTests {
    @Test("the same report, shrunk counterexamples included, for --jobs 1 and --jobs 4", arguments: [false, true])
    func jobsDoNotChangeTheReport(json: Bool) {
        let arguments = ["check", "--seeds", "24", "--ablate", "no-time-wait"] + (json ? ["--json"] : [])
        let one = invoke(arguments + ["--jobs", "1"])
        let four = invoke(arguments + ["--jobs", "4"])
        #expect(one.status == 1)
        #expect(one.stdout.contains(json ? "\"invariant\": \"time-wait\"" : "invariant time-wait failed (ablation no-time-wait)"))
        #expect(one.stdout == four.stdout)
        #expect(one.status == four.status)
    }

    @Test("the merged --json reports of three shards are the report of one run")
    func mergedShardsAreOneRun() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("stacklab-shards-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let common = ["check", "--seeds", "30", "--ablate", "zero-isn", "--json"]
        var paths: [String] = []
        for shard in 1...3 {
            let part = invoke(common + ["--shard", "\(shard)/3"])
            #expect(part.status == 1)
            let path = directory.appendingPathComponent("shard-\(shard).json").path
            try part.stdout.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let whole = invoke(common)
        let merged = invoke(["check", "--merge", "--json"] + paths.reversed())
        #expect(merged.status == whole.status)
        #expect(merged.stdout == whole.stdout)
        #expect(whole.stdout.contains("\"first_seed\": 1") && whole.stdout.contains("\"last_seed\": 30"))
        let text = invoke(["check", "--merge"] + paths)
        #expect(text.stdout == invoke(Array(common.dropLast())).stdout)
        let gap = invoke(["check", "--merge", paths[0], paths[2]])
        #expect(gap.status == 2)
        #expect(gap.stderr.contains("do not follow each other"))
    }

    @Test("--shard and --merge refuse what makes no sense, exit 2", arguments: [
        (["check", "--shard", "4/3"], "--shard expects K/N"),
        (["check", "--shard", "x"], "--shard expects K/N"),
        (["check", "--seeds", "2", "--shard", "1/3"], "more shards than seeds"),
        (["check", "--merge"], "--merge needs the reports"),
        (["check", "--merge", "a.json", "--seeds", "3"], "it does not take --seeds"),
        (["check", "report.json"], "unexpected argument 'report.json'"),
        (["check", "--merge", "/nonexistent/a.json"], "/nonexistent/a.json"),
    ])
    func usageErrors(arguments: [String], message: String) {
        let result = invoke(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
