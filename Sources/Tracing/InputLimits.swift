import Wire

/// The fixed limits on what an input file may ask for, in one place (the README's "Limits"
/// table lists them with the budgets a run may raise). Each is far above what a lesson, a
/// scenario or a capture needs, and low enough that no input can make StackLab allocate without
/// bound or loop for hours: exceeding one is an error that names the limit and where it was hit.
public enum InputLimits {
    /// Hosts a scenario may declare. Hosts get 10.0.0.1 to 10.0.0.254 in order, then 10.1.0.1
    /// onwards (`Scenario.hostAddress(at:)`), so addresses never repeat.
    public static let hostsPerScenario = 1_000
    /// Bytes one `send` may ask for (a scenario's `send N`, `--bytes`, a lesson's `bytes:`): 1 GiB.
    /// The bytes are made lazily as the connection takes them, so this bounds the work of one
    /// step, not its memory; an endless stream is `send forever`.
    public static let bytesPerSend = 1 << 30
    /// The longest duration a scenario may write (30 days): the virtual clock counts nanoseconds
    /// in 64 bits, and every sum and product of a scenario's durations (a heartbeat interval times
    /// its missed beats, a timer after the time limit) then stays far from overflowing.
    public static let longestDuration: Int64 = 30 * 86_400 * 1_000_000_000
    /// Datagrams one `udp send` step may schedule.
    public static let datagramsPerSend = 100_000
    /// Packets one `link drop` list may name, over the whole scenario.
    public static let droppedPackets = 10_000
    /// A scenario file is read only when it is at most this big (1 MiB).
    public static let scenarioFileSize = 1 << 20
    /// A lesson file is read only when it is at most this big (1 MiB).
    public static let lessonFileSize = 1 << 20
    /// A trace (`.jsonl`) or capture (`.pcap`, `.pcapng`) is read only when it is at most this big (256 MiB).
    public static let traceFileSize = 256 << 20
    /// A line of a trace file (JSON Lines or text) is at most this long (1 MiB).
    public static let traceLineLength = 1 << 20

    /// Trace events one simulated run may record before it is stopped (`--max-events` raises it
    /// for `run` and `diagram`). A scenario that reconnects in a loop or sends without end stops
    /// here, with a message, instead of filling memory until the time limit.
    public static let eventsPerRun = 1_000_000
    /// Packet bytes one simulated run's trace may keep (1 GiB), the other half of its memory budget.
    public static let traceBytesPerRun = 1 << 30
    /// TCP connections one simulated run may open, over all its hosts.
    public static let connectionsPerRun = 10_000
    /// Connections of a capture a ladder draws unless `--limit` says otherwise: drawing is
    /// quadratic in the connections shown (each is a column pair), so a large capture is cut.
    public static let connectionsDrawn = 100

    /// `1,048,576`: a limit as the messages show it.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }
}

extension Scenario {
    /// The address of the host declared `index`th (from 0) on the simulated network: 10.0.0.1 to
    /// 10.0.0.254 for the first 254 hosts (so every trace recorded before there could be more
    /// keeps its addresses), then 10.1.0.1, 10.1.0.2, ... 10.1.0.254, 10.1.1.1 and so on. The
    /// router between three or more hosts is 10.0.1.1, outside both ranges.
    public static func hostAddress(at index: Int) -> IPv4Address {
        if index < 254 { return IPv4Address(10, 0, 0, UInt8(index + 1)) }
        let rest = index - 254
        return IPv4Address(10, 1, UInt8(truncatingIfNeeded: rest / 254), UInt8(rest % 254 + 1))
    }
}
