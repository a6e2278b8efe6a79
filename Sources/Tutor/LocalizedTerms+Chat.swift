import Tracing

/// The WebSocket and MQTT events in Chinese. Protocol names (WebSocket, MQTT, its packet types,
/// QoS, DUP), header field names and close codes stay as the specifications write them.
extension LocalizedTerms {
    static func webSocket(_ event: WebSocketTraceEvent, _ language: LessonLanguage) -> String {
        guard language == .zh else { return ApplicationEvent.webSocket(event).description }
        func way(_ direction: ApplicationEvent.Direction) -> String { direction == .sent ? "发出" : "收到" }
        switch event {
        case .upgrade(let direction, _, let header):
            return "\(way(direction)) WebSocket 握手请求（HTTP GET，要求升级协议），首部 \(header) 字节"
        case .accept(let direction, _, let header):
            return "\(way(direction)) 101 握手应答（协议切换为 WebSocket），首部 \(header) 字节"
        case .frame(let direction, let opcode, let fin, let masked, let header, let payload):
            return "\(way(direction)) WebSocket 帧：\(frameKind(opcode))，" + (fin ? "FIN" : "未完") + "，"
                + (masked ? "已掩码" : "未掩码") + "，帧首部 \(header) 字节，载荷 \(payload) 字节"
        case .open:
            return "WebSocket 事件 onopen：连接已建立"
        case .message(let direction, let binary, let bytes):
            let kind = binary ? "二进制" : "文本"
            return direction == .sent ? "应用调用 send()：\(kind)消息 \(bytes) 字节"
                : "WebSocket 事件 onmessage：\(kind)消息 \(bytes) 字节"
        case .error(let code, _):
            return "WebSocket 事件 onerror：对端违反协议，以关闭码 \(code) 关闭"
        case .close(let code, let clean):
            return "WebSocket 事件 onclose：关闭码 \(code)，" + (clean ? "关闭握手已完成" : "没有完成关闭握手")
        }
    }

    /// A frame's opcode in Chinese; ping and pong keep their names.
    static func frameKind(_ opcode: WebSocketFrameOpcode) -> String {
        switch opcode {
        case .continuation: "续帧"
        case .text: "文本"
        case .binary: "二进制"
        case .close: "关闭"
        case .ping: "ping"
        case .pong: "pong"
        }
    }

    static func mqtt(_ event: MQTTTraceEvent, _ language: LessonLanguage) -> String {
        guard language == .zh else { return ApplicationEvent.mqtt(event).description }
        switch event {
        case .packet(let direction, let packet):
            var details: [String] = []
            if let id = packet.packetID { details.append("报文标识 \(id)") }
            if let client = packet.clientID { details.append("客户端 \(client)") }
            if let keepAlive = packet.keepAlive { details.append("保活 \(keepAlive) 秒") }
            if let will = packet.willTopic { details.append("遗嘱主题 \(will)") }
            if let code = packet.returnCode { details.append("返回码 \(code)") }
            if let qos = packet.qos { details.append("QoS \(qos)") }
            if packet.dup { details.append("DUP（重发）") }
            if packet.retain { details.append("保留") }
            if let topic = packet.topic { details.append((packet.kind == .publish ? "主题 " : "过滤器 ") + topic) }
            details.append("\(packet.headerBytes + packet.payloadBytes) 字节")
            return (direction == .sent ? "发出 " : "收到 ") + packet.kind.rawValue.uppercased()
                + "（" + details.joined(separator: "，") + "）"
        case .keepaliveExpired(let client, let silence):
            return "代理 \(duration(silence, language))没有收到 \(client) 的任何报文（保活时间的 1.5 倍），断开它"
        case .will(let client, let topic):
            return "代理替 \(client) 发布遗嘱消息，主题 \(topic)"
        }
    }
}
