/// The application layer inside a TCP segment's payload, as the packet pane shows it: an HTTP/1.x
/// message (start line, header fields, body; a WebSocket handshake is one), MQTT packets on port
/// 1883, the long connection's frames (type, length, payload) or WebSocket frames; anything else
/// is plain application data.
///
/// A segment may carry only part of a message: the HTTP layer is recognised by its start line
/// (RFC 9112 §2.1: `HTTP/1.x` first for a response, `METHOD TARGET HTTP/1.x` for a request), and
/// decodes as much of the header section as the segment holds.
extension PacketDissector {
    static let applicationFieldNames = ["http.headers", "http.start-line", "http.field", "http.body",
                                        "frame.type", "frame.length", "frame.payload"]
        + webSocketFieldNames + mqttFieldNames

    /// `ports` are the segment's source and destination ports.
    static func applicationLayers(_ bytes: [UInt8], _ range: Range<Int>, ports: (Int, Int)) -> [PacketLayer] {
        if let http = httpLayer(bytes, range) { return [http] }
        if ports.0 == mqttPort || ports.1 == mqttPort, let packets = mqttLayers(bytes, range) { return packets }
        if let frames = frameLayers(bytes, range) { return frames }
        if let frames = webSocketLayers(bytes, range) { return frames }
        return [payloadLayer(bytes, range)]
    }

    /// The end (exclusive) of the line that starts at `start`, and the index after its CRLF.
    private static func line(_ bytes: [UInt8], from start: Int, before end: Int) -> (text: Range<Int>, next: Int)? {
        var index = start
        while index + 1 < end {
            if bytes[index] == 0x0D && bytes[index + 1] == 0x0A { return (start..<index, index + 2) }
            index += 1
        }
        return nil
    }

    private static func text(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        String(bytes[range].map { byte -> Character in (0x20..<0x7F).contains(byte) ? Character(Unicode.Scalar(byte)) : "." })
    }

    static func httpLayer(_ bytes: [UInt8], _ range: Range<Int>) -> PacketLayer? {
        guard let first = line(bytes, from: range.lowerBound, before: range.upperBound) else { return nil }
        let startLine = text(bytes, first.text)
        let words = startLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        let isResponse = startLine.hasPrefix("HTTP/1.")
        let isRequest = words.count == 3 && words[2].hasPrefix("HTTP/1.") && !words[0].isEmpty
            && words[0].allSatisfy { $0.isLetter && $0.isUppercase }
        guard isResponse || isRequest else { return nil }
        var fields = [PacketField(name: "http.start-line", label: isResponse ? "Status line" : "Request line",
                                  value: startLine, range: first.text.lowerBound..<first.next)]
        var index = first.next
        var headerEnd: Int?
        var count = 0
        while let next = line(bytes, from: index, before: range.upperBound) {
            if next.text.isEmpty {
                headerEnd = next.next
                break
            }
            let lineText = text(bytes, next.text)
            let colon = lineText.firstIndex(of: ":") ?? lineText.endIndex
            let value = lineText[colon...].dropFirst().drop { $0 == " " || $0 == "\t" }
            fields.append(PacketField(name: "http.field", label: String(lineText[..<colon]), value: String(value),
                                      range: next.text.lowerBound..<next.next))
            count += 1
            index = next.next
        }
        let sectionEnd = headerEnd ?? index
        let summary = "\(sectionEnd - range.lowerBound) bytes, \(count) field\(count == 1 ? "" : "s")"
            + (headerEnd == nil ? ", continued in the next segment" : ", then an empty line")
        fields.insert(PacketField(name: "http.headers", label: "Header section", value: summary,
                                  range: range.lowerBound..<sectionEnd), at: 0)
        if let headerEnd, headerEnd < range.upperBound {
            let body = headerEnd..<range.upperBound
            let preview = text(bytes, headerEnd..<min(range.upperBound, headerEnd + 24))
            fields.append(PacketField(name: "http.body", label: "Body", value: "\(body.count) bytes \"\(preview)"
                                      + (body.count > 24 ? "\"…" : "\""), range: body))
        }
        // RFC 6455 §4: a request asking to switch to WebSocket, and the 101 that agrees, are HTTP.
        let upgrade = fields.contains { $0.name == "http.field" && $0.label.lowercased() == "upgrade"
            && $0.value.lowercased().contains("websocket") }
        let title = (isResponse ? "Hypertext Transfer Protocol, response \(words.count > 1 ? String(words[1]) : "")"
            : "Hypertext Transfer Protocol, \(words[0]) \(words[1])") + (upgrade ? " (WebSocket handshake)" : "")
        return PacketLayer(title: title, fields: fields)
    }

    /// The long connection's frames (`HeartbeatFrame`: type 1 DATA, 2 PING, 3 PONG, a 32-bit
    /// length, the payload), when the payload is a whole number of them.
    static func frameLayers(_ bytes: [UInt8], _ range: Range<Int>) -> [PacketLayer]? {
        var layers: [PacketLayer] = []
        var index = range.lowerBound
        while index < range.upperBound {
            guard index + 5 <= range.upperBound, (1...3).contains(bytes[index]) else { return nil }
            let length = bytes[(index + 1)..<(index + 5)].reduce(0) { $0 << 8 | Int($1) }
            guard index + 5 + length <= range.upperBound else { return nil }
            let kind = ["DATA", "PING", "PONG"][Int(bytes[index]) - 1]
            let payload = (index + 5)..<(index + 5 + length)
            let preview = text(bytes, payload.lowerBound..<min(payload.upperBound, payload.lowerBound + 16))
            layers.append(PacketLayer(title: "StackLab frame, \(kind), \(length)-byte payload", fields: [
                PacketField(name: "frame.type", label: "Type", value: "\(bytes[index]) (\(kind))", range: index..<(index + 1)),
                PacketField(name: "frame.length", label: "Payload length", value: "\(length)", range: (index + 1)..<(index + 5)),
                PacketField(name: "frame.payload", label: "Payload", value: "\"\(preview)" + (length > 16 ? "\"…" : "\""),
                            range: payload),
            ]))
            index = payload.upperBound
        }
        return layers.isEmpty ? nil : layers
    }
}
