/// What replaying a scenario against the kernel involves, decided from the scenario alone: whether
/// it can be replayed at all, the scenario on a loopback link that both runtimes then run, and what the
/// kernel cannot be expected to reproduce.
public enum ReplayPlan {
    /// Why the kernel cannot be made to do what `scenario` asks, one reason per fault: loopback
    /// loses, duplicates, reorders, corrupts and throttles nothing, and has no cable to unplug.
    /// Empty when the scenario can be replayed.
    public static func obstacles(of scenario: Scenario) -> [String] {
        let link = scenario.link
        var reasons: [String] = []
        if link.lossPPM > 0 { reasons.append("random loss (\(percent(link.lossPPM)))") }
        if !link.partitions.isEmpty {
            let spans = link.partitions.map { "\(seconds($0.from))..\(seconds($0.to))" }.joined(separator: ", ")
            reasons.append("a partition (cable unplugged \(spans))")
        }
        if link.corruptPPM > 0 { reasons.append("corruption (\(percent(link.corruptPPM)))") }
        if link.duplicatePPM > 0 { reasons.append("duplication (\(percent(link.duplicatePPM)))") }
        if link.reorderPPM > 0 { reasons.append("reordering (\(percent(link.reorderPPM)))") }
        if link.bandwidth > 0 { reasons.append("a bandwidth limit (\(link.bandwidth) bit/s)") }
        if !link.drops.isEmpty {
            reasons.append("scripted drops (packet " + link.drops.map(String.init).joined(separator: ", ") + ")")
        }
        for hostLink in link.hostLinks {
            if let loss = hostLink.lossPPM, loss > 0 { reasons.append("random loss on \(hostLink.host)'s link (\(percent(loss)))") }
            if !hostLink.partitions.isEmpty {
                let spans = hostLink.partitions.map { "\(seconds($0.from))..\(seconds($0.to))" }.joined(separator: ", ")
                reasons.append("a partition of \(hostLink.host)'s link (\(spans))")
            }
        }
        if scenario.steps.contains(where: { if case .link = $0.operation { true } else { false } }) {
            reasons.append("link down/up steps")
        }
        return reasons
    }

    /// `scenario` on a loopback link (`LinkSpec.loopback`): packets delivered within the sending
    /// call, applications woken after, no jitter, `lo`'s MTU, so that timing-driven behaviour
    /// (delayed ACKs, who is first, what an application finds when it reads) compares with the
    /// kernel's. Faults stay as they are (`obstacles` refuses them).
    public static func loopbackLike(_ scenario: Scenario) -> Scenario {
        var result = scenario
        result.link.takeLoopbackTiming()
        return result
    }

    /// Why the kernel cannot be expected to reproduce `scenario` even though it can run it, or nil.
    ///
    /// A simultaneous open (two hosts connecting to each other's fixed ports at once) needs the
    /// SYNs to cross in flight. On loopback a packet is delivered within the sending call, so the
    /// first SYN arrives before the other end has called `connect`, finds no socket and is answered
    /// with RST (RFC 9293 §3.10.7.1): the kernel refuses the connection instead.
    public static func kernelRace(in scenario: Scenario) -> String? {
        var connects: [(host: String, target: String, port: UInt16, local: UInt16)] = []
        for step in scenario.steps {
            if case .connect(let target, let port, let local) = step.operation, local != 0 {
                connects.append((step.host, target, port, local))
            }
        }
        for a in connects {
            if connects.contains(where: { $0.host == a.target && $0.target == a.host && $0.port == a.local && $0.local == a.port }) {
                return "simultaneous open: \(a.host) and \(a.target) connect to each other at once, and their SYNs must "
                    + "cross in flight; on loopback the first SYN arrives before the other end calls connect, finds no "
                    + "socket and is answered with RST (RFC 9293 §3.10.7.1)"
            }
        }
        return nil
    }

    private static func percent(_ ppm: Int) -> String {
        ppm % 10_000 == 0 ? "\(ppm / 10_000)%" : "\(ppm) ppm"
    }

    private static func seconds(_ nanoseconds: Int64) -> String {
        nanoseconds % 1_000_000_000 == 0 ? "\(nanoseconds / 1_000_000_000) s" : "\(nanoseconds / 1_000_000) ms"
    }
}
