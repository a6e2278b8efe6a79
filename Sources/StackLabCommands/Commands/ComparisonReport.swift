import Tracing

/// What `stacklab compare` measured of one scenario: an `ExchangeCost` per seed, and their means.
struct ScenarioComparison {
    struct Measurement {
        var seed: UInt64
        var cost: ExchangeCost
        /// Steps that could not run.
        var failures: [String]
    }

    let name: String
    let runs: [Measurement]

    /// The mean over the runs of a count.
    func mean(_ value: (ExchangeCost) -> Int) -> Double {
        runs.isEmpty ? 0 : Double(runs.reduce(0) { $0 + value($1.cost) }) / Double(runs.count)
    }

    /// Every request's latency, over all runs.
    var latencies: [Int64] { runs.flatMap(\.cost.latencies) }

    var meanLatency: Int64? {
        let all = latencies
        return all.isEmpty ? nil : all.reduce(0, +) / Int64(all.count)
    }

    var p99Latency: Int64? { ExchangeCost.percentile(99, of: latencies) }

    /// Every chat message's delivery latency, over all runs.
    var deliveries: [Int64] { runs.flatMap(\.cost.deliveries) }

    var meanDelivery: Int64? {
        let all = deliveries
        return all.isEmpty ? nil : all.reduce(0, +) / Int64(all.count)
    }

    var p99Delivery: Int64? { ExchangeCost.percentile(99, of: deliveries) }

    /// The mean total time of the runs that answered requests.
    var totalTime: Int64? {
        let times = runs.compactMap(\.cost.totalTime)
        return times.isEmpty ? nil : times.reduce(0, +) / Int64(times.count)
    }

    /// The mean number of connections each host left in TIME-WAIT, hosts in order of appearance.
    var timeWait: [(host: String, count: Double)] {
        var hosts: [String] = []
        for run in runs { for entry in run.cost.timeWait where !hosts.contains(entry.host) { hosts.append(entry.host) } }
        return hosts.map { host in
            (host, mean { cost in cost.timeWait.first { $0.host == host }?.count ?? 0 })
        }
    }

    var failures: [String] { runs.flatMap { run in run.failures.map { "seed \(run.seed): \($0)" } } }
}

/// Number and time formats of the comparison: exact integers, no floating-point noise.
enum ComparisonFormat {
    /// `1,234`, or with one decimal when the mean is fractional: `12.5`.
    static func count(_ value: Double) -> String {
        let tenths = Int64((value * 10).rounded())
        let whole = grouped(tenths / 10)
        return tenths % 10 == 0 ? whole : "\(whole).\(tenths % 10)"
    }

    /// `1,234,567`.
    static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// `200.0 ms` below a second, `20.000 s` from a second on; `-` for nil.
    static func duration(_ nanoseconds: Int64?) -> String {
        guard let nanoseconds else { return "-" }
        if nanoseconds < 1_000_000_000 {
            let tenths = (nanoseconds + 50_000) / 100_000
            return "\(tenths / 10).\(tenths % 10) ms"
        }
        let millis = (nanoseconds + 500_000) / 1_000_000
        let fraction = String(millis % 1000)
        return "\(grouped(millis / 1000)).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) s"
    }

    /// `100 server`, `1 client, 1 server`, or `0`.
    static func timeWait(_ entries: [(host: String, count: Double)]) -> String {
        let held = entries.filter { $0.count > 0 }
        return held.isEmpty ? "0" : held.map { "\(count($0.count)) \($0.host)" }.joined(separator: ", ")
    }
}
