import Wire

/// One field of a decoded packet: where it lies in the bytes and what it says.
public struct PacketField: Hashable, Sendable {
    /// Stable name lessons use in `focus:`, e.g. `tcp.flags`.
    public var name: String
    /// Label as Wireshark's detail pane would show it.
    public var label: String
    public var value: String
    /// Byte range in the IPv4 packet.
    public var range: Range<Int>

    public init(name: String, label: String, value: String, range: Range<Int>) {
        self.name = name
        self.label = label
        self.value = value
        self.range = range
    }
}

/// One protocol layer of a decoded packet.
public struct PacketLayer: Hashable, Sendable {
    public var title: String
    public var fields: [PacketField]

    public init(title: String, fields: [PacketField]) {
        self.title = title
        self.fields = fields
    }
}

/// Decodes an IPv4 packet layer by layer (IPv4 → TCP/UDP/ICMP → payload), field by field, with
/// each field's byte range, reading the bytes directly so that even a damaged packet shows.
public enum PacketDissector {
    public static let fieldNames = [
        "ip.version", "ip.tos", "ip.length", "ip.id", "ip.flags", "ip.ttl", "ip.protocol", "ip.checksum", "ip.src", "ip.dst",
        "tcp.sport", "tcp.dport", "tcp.seq", "tcp.ack", "tcp.offset", "tcp.flags", "tcp.window", "tcp.checksum", "tcp.urgent",
        "tcp.options", "udp.sport", "udp.dport", "udp.length", "udp.checksum", "icmp.type", "icmp.checksum", "payload",
    ] + applicationFieldNames

    /// - Parameters:
    ///   - hostNames: printed beside addresses.
    ///   - isn: the sender's initial sequence number and the receiver's, for relative numbers.
    ///   - symbols: with them, sequence numbers are also written as the textbooks' `x+1`, `y`
    ///     (the sender's ISN name, the receiver's) instead of relative to the ISN.
    public static func layers(_ bytes: [UInt8], hostNames: [IPv4Address: String] = [:],
                              isn: (send: UInt32, receive: UInt32)? = nil,
                              symbols: (send: String, receive: String)? = nil) -> [PacketLayer] {
        guard bytes.count >= 20 else {
            return [PacketLayer(title: "Truncated packet (\(bytes.count) bytes)", fields: [])]
        }
        func u16(_ i: Int) -> Int { i + 1 < bytes.count ? Int(bytes[i]) << 8 | Int(bytes[i + 1]) : 0 }
        func u32(_ i: Int) -> UInt32 {
            i + 3 < bytes.count ? UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3]) : 0
        }
        func hex16(_ v: Int) -> String {
            let digits = Array("0123456789abcdef")
            return "0x" + String([digits[(v >> 12) & 15], digits[(v >> 8) & 15], digits[(v >> 4) & 15], digits[v & 15]])
        }
        func address(_ i: Int) -> String {
            let a = IPv4Address(u32(i))
            return "\(a)" + (hostNames[a].map { " (\($0))" } ?? "")
        }
        let ihl = max(20, Int(bytes[0] & 0x0F) * 4)
        let proto = bytes[9]
        let protoName = proto == 6 ? "TCP" : proto == 17 ? "UDP" : proto == 1 ? "ICMP" : "?"
        let flagBits = bytes[6] >> 5
        var ipFlags: [String] = []
        if flagBits & 0x2 != 0 { ipFlags.append("DF") }
        if flagBits & 0x1 != 0 { ipFlags.append("MF") }
        var ip = PacketLayer(title: "Internet Protocol version 4, \(IPv4Address(u32(12))) → \(IPv4Address(u32(16)))", fields: [
            PacketField(name: "ip.version", label: "Version / header length", value: "\(bytes[0] >> 4) / \(ihl) bytes", range: 0..<1),
            PacketField(name: "ip.tos", label: "DSCP / ECN", value: "\(bytes[1] >> 2) / \(bytes[1] & 3)", range: 1..<2),
            PacketField(name: "ip.length", label: "Total length", value: "\(u16(2))", range: 2..<4),
            PacketField(name: "ip.id", label: "Identification", value: hex16(u16(4)), range: 4..<6),
            PacketField(name: "ip.flags", label: "Flags / fragment offset",
                        value: (ipFlags.isEmpty ? "none" : ipFlags.joined(separator: ",")) + " / \(u16(6) & 0x1FFF)", range: 6..<8),
            PacketField(name: "ip.ttl", label: "Time to live", value: "\(bytes[8])", range: 8..<9),
            PacketField(name: "ip.protocol", label: "Protocol", value: "\(protoName) (\(proto))", range: 9..<10),
            PacketField(name: "ip.checksum", label: "Header checksum", value: hex16(u16(10)), range: 10..<12),
            PacketField(name: "ip.src", label: "Source", value: address(12), range: 12..<16),
            PacketField(name: "ip.dst", label: "Destination", value: address(16), range: 16..<20),
        ])
        if ihl > 20 { ip.fields.append(PacketField(name: "ip.options", label: "Options", value: "\(ihl - 20) bytes", range: 20..<ihl)) }
        var layers = [ip]
        let end = min(bytes.count, max(u16(2), ihl))
        let h = ihl
        switch proto {
        case 6 where end >= h + 20:
            let dataOffset = max(20, Int(bytes[h + 12] >> 4) * 4)
            let flags = TCPFlags(rawValue: bytes[h + 13])
            let seq = u32(h + 4)
            let ack = u32(h + 8)
            func note(_ value: UInt32, _ base: UInt32, _ symbol: String?) -> String {
                guard let symbol else { return " (relative \(value &- base))" }
                return " (" + SequenceDisplay.symbolic.text(value, isn: base, symbol: symbol) + ")"
            }
            let relSeq = isn.map { note(seq, $0.send, symbols?.send) } ?? ""
            let relAck = isn.map { note(ack, $0.receive, symbols?.receive) } ?? ""
            var tcp = PacketLayer(title: "Transmission Control Protocol, port \(u16(h)) → \(u16(h + 2)), flags " + flagNames(flags), fields: [
                PacketField(name: "tcp.sport", label: "Source port", value: "\(u16(h))", range: h..<h + 2),
                PacketField(name: "tcp.dport", label: "Destination port", value: "\(u16(h + 2))", range: h + 2..<h + 4),
                PacketField(name: "tcp.seq", label: "Sequence number", value: "\(seq)\(relSeq)", range: h + 4..<h + 8),
                PacketField(name: "tcp.ack", label: "Acknowledgment number",
                            value: flags.contains(.ack) ? "\(ack)\(relAck)" : "\(ack) (not used: no ACK flag)", range: h + 8..<h + 12),
                PacketField(name: "tcp.offset", label: "Header length", value: "\(dataOffset) bytes", range: h + 12..<h + 13),
                PacketField(name: "tcp.flags", label: "Flags", value: flagNames(flags), range: h + 13..<h + 14),
                PacketField(name: "tcp.window", label: "Window", value: "\(u16(h + 14))", range: h + 14..<h + 16),
                PacketField(name: "tcp.checksum", label: "Checksum", value: hex16(u16(h + 16)), range: h + 16..<h + 18),
                PacketField(name: "tcp.urgent", label: "Urgent pointer", value: "\(u16(h + 18))", range: h + 18..<h + 20),
            ])
            if dataOffset > 20, h + dataOffset <= end {
                tcp.fields.append(PacketField(name: "tcp.options", label: "Options",
                                              value: optionText(Array(bytes[(h + 20)..<(h + dataOffset)])), range: h + 20..<h + dataOffset))
            }
            layers.append(tcp)
            if h + dataOffset < end {
                layers.append(contentsOf: applicationLayers(bytes, h + dataOffset..<end, ports: (u16(h), u16(h + 2))))
            }
        case 17 where end >= h + 8:
            layers.append(PacketLayer(title: "User Datagram Protocol, port \(u16(h)) → \(u16(h + 2))", fields: [
                PacketField(name: "udp.sport", label: "Source port", value: "\(u16(h))", range: h..<h + 2),
                PacketField(name: "udp.dport", label: "Destination port", value: "\(u16(h + 2))", range: h + 2..<h + 4),
                PacketField(name: "udp.length", label: "Length", value: "\(u16(h + 4))", range: h + 4..<h + 6),
                PacketField(name: "udp.checksum", label: "Checksum", value: hex16(u16(h + 6)), range: h + 6..<h + 8),
            ]))
            if h + 8 < end { layers.append(payloadLayer(bytes, h + 8..<end)) }
        case 1 where end >= h + 4:
            layers.append(PacketLayer(title: "Internet Control Message Protocol", fields: [
                PacketField(name: "icmp.type", label: "Type / code", value: "\(bytes[h]) / \(bytes[h + 1])", range: h..<h + 2),
                PacketField(name: "icmp.checksum", label: "Checksum", value: hex16(u16(h + 2)), range: h + 2..<h + 4),
            ]))
            if h + 4 < end { layers.append(payloadLayer(bytes, h + 4..<end)) }
        default:
            if h < end { layers.append(payloadLayer(bytes, h..<end)) }
        }
        return layers
    }

    static func payloadLayer(_ bytes: [UInt8], _ range: Range<Int>) -> PacketLayer {
        let preview = bytes[range.lowerBound..<min(range.upperBound, range.lowerBound + 16)].map { byte -> Character in
            (0x20..<0x7F).contains(byte) ? Character(Unicode.Scalar(byte)) : "."
        }
        return PacketLayer(title: "Application data, \(range.count) bytes", fields: [
            PacketField(name: "payload", label: "Data", value: "\"" + String(preview) + (range.count > 16 ? "\"…" : "\""), range: range),
        ])
    }

    /// `SYN+ACK`, `ACK`, `FIN+ACK`, `PSH+ACK`: the names a learner reads aloud, in a fixed order.
    public static func flagNames(_ flags: TCPFlags) -> String {
        flags.names.isEmpty ? "none" : flags.names.joined(separator: "+")
    }

    static func optionText(_ bytes: [UInt8]) -> String {
        var parts: [String] = []
        var i = 0
        while i < bytes.count {
            let kind = bytes[i]
            if kind == 0 { break }
            if kind == 1 { parts.append("nop"); i += 1; continue }
            guard i + 1 < bytes.count else { break }
            let length = max(2, Int(bytes[i + 1]))
            let data = Array(bytes[min(bytes.count, i + 2)..<min(bytes.count, i + length)])
            switch kind {
            case 2 where data.count == 2: parts.append("mss \(Int(data[0]) << 8 | Int(data[1]))")
            case 3 where data.count == 1: parts.append("wscale \(data[0])")
            case 4: parts.append("sackOK")
            case 8: parts.append("timestamps")
            default: parts.append("kind \(kind)")
            }
            i += length
        }
        return parts.joined(separator: ", ")
    }

    /// Hex lines, `bytesPerLine` octets each with a 4-digit offset: `0000  45 00 00 2c ...`.
    /// Returns each line and, per line, the column ranges (in characters) of highlighted octets.
    public static func hexLines(_ bytes: [UInt8], bytesPerLine: Int, highlight: Range<Int>?) -> [(text: String, marks: [Range<Int>])] {
        let digits = Array("0123456789abcdef")
        var result: [(String, [Range<Int>])] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + bytesPerLine, bytes.count)
            var line = String([digits[(start >> 12) & 15], digits[(start >> 8) & 15], digits[(start >> 4) & 15], digits[start & 15]]) + " "
            var marks: [Range<Int>] = []
            for i in start..<end {
                line += " "
                let column = line.count
                line.append(digits[Int(bytes[i] >> 4)])
                line.append(digits[Int(bytes[i] & 0x0F)])
                if let highlight, highlight.contains(i) { marks.append(column..<column + 2) }
            }
            result.append((line, marks))
            start = end
        }
        return result
    }
}
