import Rendering

extension PacketDissector {
    /// The decoded layers with titles, labels and words in `language` (field names, numbers,
    /// addresses and flags stay as they are).
    static func localized(_ layers: [PacketLayer], _ language: LessonLanguage) -> [PacketLayer] {
        guard language == .zh else { return layers }
        return layers.map { layer in
            PacketLayer(title: chineseTitle(layer), fields: layer.fields.map { field in
                var field = field
                field.label = chineseLabel(field)
                field.value = chineseValue(field)
                return field
            })
        }
    }

    static let chineseLabels: [String: String] = [
        "ip.version": "版本 / 首部长度", "ip.tos": "DSCP / ECN", "ip.length": "总长度", "ip.id": "标识",
        "ip.flags": "标志 / 片偏移", "ip.ttl": "生存时间（TTL）", "ip.protocol": "协议", "ip.checksum": "首部校验和",
        "ip.src": "源地址", "ip.dst": "目的地址", "ip.options": "选项",
        "tcp.sport": "源端口", "tcp.dport": "目的端口", "tcp.seq": "序号", "tcp.ack": "确认号", "tcp.offset": "首部长度",
        "tcp.flags": "标志", "tcp.window": "窗口", "tcp.checksum": "校验和", "tcp.urgent": "紧急指针", "tcp.options": "选项",
        "udp.sport": "源端口", "udp.dport": "目的端口", "udp.length": "长度", "udp.checksum": "校验和",
        "icmp.type": "类型 / 代码", "icmp.checksum": "校验和", "payload": "数据",
        "http.headers": "首部部分", "http.body": "正文",
        "frame.type": "类型", "frame.length": "载荷长度", "frame.payload": "载荷",
        "ws.flags": "FIN、RSV、操作码", "ws.length": "掩码位、载荷长度", "ws.mask": "掩码键", "ws.payload": "载荷",
        "mqtt.type": "报文类型、标志", "mqtt.length": "剩余长度", "mqtt.keepalive": "保活时间", "mqtt.client": "客户端标识",
        "mqtt.code": "返回码", "mqtt.topic": "主题", "mqtt.id": "报文标识", "mqtt.payload": "消息",
    ]

    /// A WebSocket opcode's name in Chinese (ping and pong keep theirs).
    static let chineseOpcodes = ["continuation": "续帧", "text": "文本", "binary": "二进制", "close": "关闭",
                                 "ping": "ping", "pong": "pong"]

    /// An HTTP header field keeps its name (`Host`, `Content-Length`); the start line says which it is.
    static func chineseLabel(_ field: PacketField) -> String {
        if field.name == "http.start-line" { return field.label == "Status line" ? "状态行" : "请求行" }
        if field.name == "mqtt.topic" && field.label == "Topic filter" { return "主题过滤器" }
        return chineseLabels[field.name] ?? field.label
    }

    /// `Transmission Control Protocol, port 49152 → 80, flags SYN` → `TCP，端口 49152 → 80，标志 SYN`.
    static func chineseTitle(_ layer: PacketLayer) -> String {
        let title = layer.title
        func after(_ prefix: String) -> Substring? { title.hasPrefix(prefix) ? title.dropFirst(prefix.count) : nil }
        if let rest = after("Internet Protocol version 4, ") { return "IPv4，\(rest)" }
        if let rest = after("Transmission Control Protocol, port ") {
            let parts = rest.split(separator: ",", maxSplits: 1)
            let flags = parts.count > 1 ? "，标志 " + parts[1].dropFirst(" flags ".count) : ""
            return "TCP，端口 \(parts[0])\(flags)"
        }
        if let rest = after("User Datagram Protocol, port ") { return "UDP，端口 \(rest)" }
        if title.hasPrefix("Internet Control Message Protocol") { return "ICMP" }
        if title.hasPrefix("Application data, ") {
            let count = layer.fields.first?.range.count ?? 0
            return "应用数据，\(count) 字节"
        }
        if title.hasPrefix("Truncated packet") { return "不完整的数据包" }
        let handshake = " (WebSocket handshake)"
        if title.hasSuffix(handshake) {
            let plain = PacketLayer(title: String(title.dropLast(handshake.count)), fields: layer.fields)
            return chineseTitle(plain) + "（WebSocket 握手）"
        }
        if let rest = after("Hypertext Transfer Protocol, response ") { return "HTTP，响应 \(rest)" }
        if let rest = after("Hypertext Transfer Protocol, ") { return "HTTP，\(rest)" }
        if let rest = after("WebSocket frame, ") {
            // `text, FIN, masked, 5-byte payload`
            let parts = rest.split(separator: ",").map { String($0.drop { $0 == " " }) }
            guard parts.count == 4 else { return title }
            let kind = chineseOpcodes[parts[0]] ?? parts[0]
            let fin = parts[1] == "FIN" ? "FIN" : "非最后一帧"
            let mask = parts[2] == "masked" ? "已掩码" : "未掩码"
            let bytes = String(parts[3].prefix { $0.isNumber })
            return "WebSocket 帧，\(kind)，\(fin)，\(mask)，载荷 \(bytes) 字节"
        }
        if let rest = after("MQ Telemetry Transport, ") { return "MQTT，" + String(rest).replacingWord(", ", with: "，") }
        if let rest = after("StackLab frame, ") {
            // `PING, 8-byte payload`
            let parts = rest.split(separator: ",", maxSplits: 1)
            let bytes = parts.count > 1 ? parts[1].drop { $0 == " " }.prefix { $0.isNumber } : ""
            return "StackLab 帧，\(parts[0])，载荷 \(bytes) 字节"
        }
        return title
    }

    static func chineseValue(_ field: PacketField) -> String {
        var value = field.value
        switch field.name {
        case "payload": return "\(field.range.count) 字节"
        case "ip.version", "tcp.offset", "ip.options":
            value = value.replacingWord("bytes", with: "字节")
        case "ip.flags":
            value = value.replacingWord("none", with: "无")
        case "tcp.seq", "tcp.ack":
            value = value.replacingWord("(relative", with: "（相对值").replacingWord("(not used: no ACK flag)", with: "（未使用：没有 ACK 标志）")
            if value.hasSuffix(")") && value.contains("（") { value = String(value.dropLast()) + "）" }
        case "tcp.flags":
            value = value.replacingWord("none", with: "无")
        case "http.headers":
            // `80 bytes, 3 fields, then an empty line`
            let words = value.split(separator: " ")
            let bytes = words.first ?? "", count = words.count > 2 ? words[2] : ""
            let end = value.hasSuffix("then an empty line") ? "，然后是一个空行" : "，其余在下一个报文段里"
            return "\(bytes) 字节，\(count) 个字段\(end)"
        case "ws.flags":
            // `FIN, opcode 0x1 (text)`
            value = value.replacingWord("not final", with: "非最后一帧").replacingWord(", opcode ", with: "，操作码 ")
            for (english, chinese) in chineseOpcodes where value.hasSuffix(" (\(english))") {
                value = String(value.dropLast(english.count + 3)) + "（\(chinese)）"
            }
            return value
        case "ws.length":
            return value.replacingWord("not masked", with: "未掩码").replacingWord("masked", with: "已掩码")
                .replacingWord(", ", with: "，")
        case "mqtt.type":
            // `3 (PUBLISH), DUP 1, QoS 1, RETAIN 0`
            return value.replacingWord(" (", with: "（").replacingWord(")", with: "）").replacingWord(", ", with: "，")
        case "mqtt.keepalive":
            return value.replacingWord(" s", with: " 秒")
        case "mqtt.code":
            return value.replacingWord(" (accepted)", with: "（接受）")
        case "ws.payload", "mqtt.payload":
            // `5 bytes, unmasked "Hello"` or `69 bytes "{…}"`
            value = value.replacingWord(" bytes, unmasked ", with: " 字节，去掉掩码后 ").replacingWord(" bytes ", with: " 字节 ")
            guard let open = value.firstIndex(of: "\""), let close = value.lastIndex(of: "\""), open < close else { break }
            value = value[..<open] + "“" + value[value.index(after: open)..<close] + "”" + value[value.index(after: close)...]
        case "http.body", "frame.payload":
            // `14 bytes "Hello"…` or `"PING 1"`: the quoted bytes get Chinese quotes.
            if field.name == "http.body" { value = value.replacingWord(" bytes ", with: " 字节 ") }
            guard let open = value.firstIndex(of: "\""), let close = value.lastIndex(of: "\""), open < close else { break }
            value = value[..<open] + "“" + value[value.index(after: open)..<close] + "”" + value[value.index(after: close)...]
        default: break
        }
        return value
    }
}

extension String {
    /// Every occurrence of `word` replaced (a plain substring replacement, no Foundation).
    func replacingWord(_ word: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while !rest.isEmpty {
            if rest.hasPrefix(word) {
                result += replacement
                rest = rest.dropFirst(word.count)
            } else {
                result.append(rest.removeFirst())
            }
        }
        return result
    }
}
