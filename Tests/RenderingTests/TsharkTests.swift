import Apps
import Foundation
import Rendering
import Runs
import Testing
import Tracing
import Wire

/// Wireshark's dissector as an oracle (checksum status 1 is "good", 0 "bad", 2 "unverified"): every built-in scenario exported to pcap must show the
/// same packets, flags, relative sequence and acknowledgment numbers and lengths, with good checksums.
@Suite struct TsharkTests {
    static let tshark = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: tshark != nil, "tshark is not installed: the pcap export is not checked against Wireshark"))
    func everyScenarioExportsToAPcapTsharkAgreesWith() throws {
        let tshark = try #require(Self.tshark)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-render-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for trace in Traces.all {
            let file = directory.appendingPathComponent(trace.header.scenario + ".pcap")
            try Data(TracePcap.bytes(of: trace)).write(to: file)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tshark)
            process.arguments = ["-r", file.path, "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
                                 "-T", "fields", "-E", "separator=/t", "-e", "tcp.flags.str", "-e", "tcp.seq", "-e", "tcp.ack",
                                 "-e", "tcp.len", "-e", "tcp.checksum.status", "-e", "ip.checksum.status", "-e", "udp.length"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let rows = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
                $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            }
            let model = LadderModel(trace: trace)
            #expect(rows.count == model.flights.count, "\(trace.header.scenario)")
            for (row, flight) in zip(rows, model.flights) {
                #expect(row.count == 7)
                guard row.count == 7 else { continue }
                // An ICMP error quotes an IP header too: tshark checks both ("1,1").
                #expect(row[5].split(separator: ",").allSatisfy { $0 == "1" },
                        "\(trace.header.scenario): IP checksum status \(row[5])")
                if let tcp = flight.tcp {
                    #expect(Self.flags(row[0]) == LadderModel.flagNames(tcp.flags), "\(trace.header.scenario)")
                    #expect(row[1] == String(tcp.sequence), "\(trace.header.scenario): \(flight.label)")
                    // tshark prints ack only when the ACK flag is set... and 0 when not.
                    if tcp.flags.contains(.ack) { #expect(row[2] == String(tcp.acknowledgment), "\(trace.header.scenario)") }
                    #expect(row[3] == String(tcp.length))
                    #expect(row[4] == "1", "\(trace.header.scenario): TCP checksum status \(row[4])")
                } else {
                    #expect(row[6].split(separator: ",").allSatisfy { Int($0) != nil })
                }
            }
        }
    }

    /// tshark's `··········S·` (CWR ECE URG ACK PSH RST SYN FIN in the last eight places) as `SYN`, `PSH,ACK`.
    static func flags(_ text: String) -> String {
        let chars = Array(text.replacingOccurrences(of: "·", with: "."))
        guard chars.count == 12 else { return text }
        var flags = TCPFlags()
        let bits: [(Int, TCPFlags)] = [(4, .cwr), (5, .ece), (6, .urg), (7, .ack), (8, .psh), (9, .rst), (10, .syn), (11, .fin)]
        for (i, flag) in bits where chars[i] != "." { flags.insert(flag) }
        return LadderModel.flagNames(flags)
    }
}
