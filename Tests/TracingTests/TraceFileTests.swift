import Apps
import Runs
import Testing
import Tracing
import Wire

@Suite("JSON Lines trace files")
struct TraceFileTests {
    @Test func everyEventKindRoundTrips() throws {
        let trace = everyKindTrace()
        let text = TraceFile.write(trace)
        let read = try TraceFile.read(text)
        // Everything comes back as written, but control characters, which come back escaped
        // (`SafeText`: whatever reads a trace may print it to a terminal).
        #expect(Array(read.events.dropLast()) == Array(trace.events.dropLast()))
        #expect(read.header == trace.header)
        #expect(read.events.last?.node == "ünïcode\\x0a\\x09\\")
        #expect(read.events.last?.kind == .note(.text("link down \\x01 \"quoted\"")))
        #expect(try TraceFile.read(TraceFile.write(read)) == read)
        // One line per event plus the header, each kind under its documented name.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == trace.events.count + 2 && lines.last == "")
        for name in TraceFile.kindNames {
            #expect(lines.contains { $0.contains("\"event\":\"\(name)\"") }, "no \(name) line")
        }
    }

    @Test func fieldOrderIsFixed() {
        let line = TraceFile.eventObject(TraceEvent(time: 5, node: "client",
                                                    kind: .packetDropped(bytes: [0x45, 0xab], reason: .loss))).compactText
        #expect(line == #"{"t_ns":5,"node":"client","event":"packet_dropped","reason":"loss","bytes":"45ab"}"#)
        let timer = TraceFile.eventObject(TraceEvent(time: 1, node: "c", kind: .timer(connection: "x", timer: .retransmission,
                                                                                      action: .set(at: 9)))).compactText
        #expect(timer == #"{"t_ns":1,"node":"c","event":"timer","connection":"x","timer":"retransmission","action":"set","at_ns":9}"#)
        let variables = TCPVariables(iss: 1, irs: 2, sndUNA: 3, sndNXT: 4, sndWND: 5, rcvNXT: 6, rcvWND: 7, cwnd: 8,
                                     ssthresh: 9, srtt: nil, rto: 10, bytesInFlight: 11)
        let vars = TraceFile.eventObject(TraceEvent(time: 1, node: "c", kind: .variables(connection: "x", variables))).compactText
        #expect(vars == #"{"t_ns":1,"node":"c","event":"tcp_variables","connection":"x","iss":1,"irs":2,"snd_una":3,"#
                + #""snd_nxt":4,"snd_wnd":5,"rcv_nxt":6,"rcv_wnd":7,"cwnd":8,"ssthresh":9,"rto_ns":10,"in_flight":11}"#)
        let header = TraceFile.headerObject(TraceHeader(scenario: "s", seed: 3, profile: "textbook",
                                                        hosts: [TraceHost(name: "a", address: IPv4Address(10, 0, 0, 1))],
                                                        link: LinkSpec())).compactText
        #expect(header == #"{"format":"stacklab-trace","format_version":2,"scenario":"s","seed":3,"profile":"textbook","#
                + #""hosts":[{"name":"a","address":"10.0.0.1"}],"link":{"rtt_ns":20000000,"jitter_ns":0,"#
                + #""bandwidth_bps":0,"loss_ppm":0,"duplicate_ppm":0,"reorder_ppm":0,"corrupt_ppm":0,"mtu":1500,"#
                + #""partitions":[]}}"#)
    }

    @Test func simulatedRunRoundTripsByteForByte() throws {
        for name in ["handshake", "syn-lost", "udp-lossy", "tcp-vs-udp"] {
            let trace = SimulatedRuntime().run(BuiltInScenarios.scenario(named: name)!).trace
            let bytes = TraceFile.bytes(of: trace)
            let read = try TraceFile.read(bytes: bytes)
            #expect(read == trace, "\(name)")
            #expect(TraceFile.bytes(of: read) == bytes, "\(name)")
        }
    }

    static let header = TraceFile.headerObject(everyKindTrace().header).compactText
    static let goodEvent = #"{"t_ns":1,"node":"client","event":"note","text":"hi"}"#

    /// (file lines, the error's exact description)
    static let malformed: [([String], String)] = [
        ([header, #"{"t_ns":"x","node":"client","event":"note","text":"hi"}"#],
         #"t.jsonl:2: field "t_ns": expected an integer"#),
        ([header, goodEvent, #"{"t_ns":1,"node":"client","event":"packet_snt"}"#],
         #"t.jsonl:3: field "event": unknown event kind "packet_snt""#),
        ([header.replacingFirst(#""format_version":2"#, with: #""format_version":1"#)],
         #"t.jsonl:1: field "format_version": unsupported format version 1 (this StackLab reads version 2)"#),
        ([header.replacingFirst(#""format":"stacklab-trace""#, with: #""format":"pcap""#)],
         #"t.jsonl:1: field "format": expected "stacklab-trace", found "pcap""#),
        ([header, #"{"t_ns":1,"node":"c","event":"packet_received","bytes":"45AB"}"#],
         #"t.jsonl:2: field "bytes": bad hex: 'A' at offset 2 is not a lowercase hex digit"#),
        ([header, #"{"t_ns":1,"node":"c","event":"packet_received","bytes":"45a"}"#],
         #"t.jsonl:2: field "bytes": bad hex: odd number of digits (3)"#),
        ([header, #"{"t_ns":1,"event":"note","text":"hi"}"#],
         #"t.jsonl:2: field "node": missing field"#),
        ([header, #"{"t_ns":1,"node":"c","event":"note","text":"hi","extra":0}"#],
         #"t.jsonl:2: field "extra": unknown field"#),
        ([header, #"{"t_ns":-1,"node":"c","event":"note","text":"hi"}"#],
         #"t.jsonl:2: field "t_ns": expected an integer of at least 0, found -1"#),
        ([header, #"{"t_ns":1.5,"node":"c","event":"note","text":"hi"}"#],
         #"t.jsonl:2: field "t_ns": expected an integer"#),
        ([header, #"{"t_ns":1,"node":"c","event":"timer","connection":"x","timer":"persist","action":"set"}"#],
         #"t.jsonl:2: field "at_ns": missing field"#),
        ([header, #"{"t_ns":1,"node":"c","event":"timer","connection":"x","timer":"persist","action":"rang"}"#],
         #"t.jsonl:2: field "action": expected "set", "fired" or "cancelled", found "rang""#),
        ([header, #"{"t_ns":1,"node":"c","event":"timer","connection":"x","timer":"RTO","action":"fired"}"#],
         #"t.jsonl:2: field "timer": expected a timer name, found "RTO""#),
        ([header, #"{"t_ns":1,"node":"c","event":"state_changed","connection":"x","from":"LISTEN","to":"OPEN","cause":"CLOSE"}"#],
         #"t.jsonl:2: field "to": expected an RFC 9293 state name, found "OPEN""#),
        ([header, #"{"t_ns":1,"node":"c","event":"state_changed","connection":"x","from":"LISTEN","to":"CLOSED","cause":"magic"}"#],
         #"t.jsonl:2: field "cause": expected a state-change cause, found "magic""#),
        ([header, #"{"t_ns":1,"node":"c","event":"packet_dropped","reason":"gremlins","bytes":"45"}"#],
         #"t.jsonl:2: field "reason": expected a drop reason, found "gremlins""#),
        ([header, #"{"t_ns":1,"node":"c","event":"socket_call","socket":"c","call":"send","argument":"many bytes"}"#],
         #"t.jsonl:2: field "argument": cannot read the call "send" with argument "many bytes""#),
        ([header, #"{"t_ns":1,"node":"c","event":"socket_call","socket":"c","call":"yell","argument":""}"#],
         #"t.jsonl:2: field "call": cannot read the call "yell" with argument """#),
        ([header, #"{"t_ns":1,"node":"c","event":"socket_event","socket":"c","name":"message","detail":"lots"}"#],
         #"t.jsonl:2: field "detail": cannot read the socket event "message" with detail "lots""#),
        ([header, #"{"t_ns":1,"node":"c","event":"congestion","connection":"x","cwnd":1,"ssthresh":2,"reason":"vibes"}"#],
         #"t.jsonl:2: field "reason": expected a congestion reason, found "vibes""#),
        ([header.replacingFirst(#""mtu":576"#, with: #""mtu":"576""#)],
         #"t.jsonl:1: field "link.mtu": expected an integer"#),
        ([header.replacingFirst(#""loss_ppm":1,"#, with: #""loss_ppm":1000001,"#)],
         #"t.jsonl:1: field "link.loss_ppm": expected an integer from 0 to 1000000, found 1000001"#),
        ([header.replacingFirst("10.0.0.2", with: "10.0.0.256")],
         #"t.jsonl:1: field "hosts[1].address": expected a dotted-quad IPv4 address, found "10.0.0.256""#),
        ([header, goodEvent, "", goodEvent], "t.jsonl:3: empty line: expected a JSON object"),
        ([header, "[1]"], "t.jsonl:2: expected a JSON object"),
        ([], "t.jsonl:1: empty file: expected the header line"),
        ([header, #"{"t_ns":1,"node":"c","#], "t.jsonl:2:22: expected a string as object key"),
    ]

    @Test(arguments: malformed.indices)
    func malformedInputNamesLineAndField(_ index: Int) {
        let (lines, expected) = Self.malformed[index]
        let text = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        #expect(throws: TraceFileError.self) { try TraceFile.read(text, file: "t.jsonl") }
        do {
            _ = try TraceFile.read(text, file: "t.jsonl")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func overlongLineIsRejectedBeforeParsing() {
        let long = String(repeating: "a", count: TraceFile.maximumLineLength + 10)
        do {
            _ = try TraceFile.read(Self.header + "\n" + long + "\n", file: "big.jsonl")
            Issue.record("accepted a line over 1 MiB")
        } catch {
            #expect(error.description == "big.jsonl:2: line is longer than 1048576 bytes (limit \"trace line length\")")
        }
    }

    @Test func hugeSeedIsWrittenAsAStringAndReadBack() throws {
        let text = TraceFile.write(everyKindTrace())
        #expect(text.contains(#""seed":"18446744073709551615""#))
        #expect(try TraceFile.read(text).header.seed == UInt64.max)
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        let scalars = Array(unicodeScalars)
        let needle = Array(target.unicodeScalars)
        guard needle.count <= scalars.count else { return self }
        for start in 0...(scalars.count - needle.count) where Array(scalars[start..<start + needle.count]) == needle {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[..<start])
            view.append(contentsOf: replacement.unicodeScalars)
            view.append(contentsOf: scalars[(start + needle.count)...])
            return String(view)
        }
        return self
    }
}
