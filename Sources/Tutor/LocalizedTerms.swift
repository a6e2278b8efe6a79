import Tracing

/// The trace's vocabulary in the learner's language. English keeps the RFC and trace words;
/// Chinese translates every word that is not a protocol name, an RFC state or variable name, or a
/// TCP flag (those stay as the textbooks print them).
enum LocalizedTerms {
    static func timer(_ timer: TCPTimer, _ language: LessonLanguage) -> String {
        guard language == .zh else { return timer.rawValue }
        switch timer {
        case .retransmission: return "重传"
        case .persist: return "坚持"
        case .delayedACK: return "延迟确认"
        case .keepalive: return "保活"
        case .timeWait: return "2MSL"
        case .lossProbe: return "尾部丢失探测"
        }
    }

    static func cause(_ cause: StateChangeCause, _ language: LessonLanguage) -> String {
        guard language == .zh else { return cause.description }
        switch cause {
        case .passiveOpen: return "被动打开"
        case .activeOpen: return "主动打开"
        case .send: return "发送"
        case .receivedSYN: return "收到 SYN"
        case .receivedSYNACK: return "收到 SYN,ACK"
        case .receivedACKOfSYN: return "收到对 SYN 的 ACK"
        case .receivedFIN: return "收到 FIN"
        case .receivedFINACK: return "收到 FIN,ACK"
        case .receivedACKOfFIN: return "收到对 FIN 的 ACK"
        case .receivedRST: return "收到 RST"
        case .close: return "关闭"
        case .abort: return "中止"
        case .timeWaitTimeout: return "2MSL 超时"
        case .retransmissionTimeout: return "重传超时"
        case .synTimeout: return "SYN 超时"
        case .synACKTimeout: return "SYN,ACK 超时"
        case .keepaliveTimeout: return "保活超时"
        case .observed: return "观测到"
        case .skippingTimeWait(let inner): return Self.cause(inner, language) + "（跳过 TIME-WAIT）"
        }
    }

    static func congestion(_ reason: CongestionReason, _ language: LessonLanguage) -> String {
        guard language == .zh else { return reason.rawValue }
        switch reason {
        case .initialWindow: return "初始窗口"
        case .slowStart: return "慢启动"
        case .congestionAvoidance: return "拥塞避免"
        case .fastRetransmit: return "3 个重复 ACK：快速重传"
        case .duplicateACKInRecovery: return "快速恢复中的重复 ACK"
        case .partialACK: return "部分确认"
        case .fullACK: return "完全确认：退出快速恢复"
        case .enterSACKRecovery: return "丢失：进入 SACK 恢复"
        case .leaveSACKRecovery: return "完全确认：退出 SACK 恢复"
        case .lossWindow: return "RTO：损失窗口"
        case .lossProbeRepair: return "尾部丢失探测修复了丢失"
        }
    }

    static func drop(_ reason: PacketDropReason, _ language: LessonLanguage) -> String {
        guard language == .zh else { return reason.description }
        switch reason {
        case .loss: return "链路丢失"
        case .burstLoss: return "突发丢失"
        case .queueFull: return "队列已满"
        case .exceedsMTU: return "超过 MTU"
        case .partitioned: return "网络断开"
        case .linkDown: return "链路中断"
        case .ttlExpired: return "TTL 耗尽"
        case .noRoute: return "无路由"
        case .scripted: return "按脚本丢弃"
        case .badChecksum: return "校验和错误"
        case .malformed: return "格式错误"
        case .notAddressed(let address): return "目的地址不是 \(address)"
        case .listenBacklogFull: return "监听队列已满"
        case .connectionClosed: return "连接已关闭"
        case .rstInListen: return "LISTEN 状态收到 RST"
        case .ackInListen: return "LISTEN 状态收到 ACK"
        case .noSYNInListen: return "LISTEN 状态收到非 SYN"
        case .unacceptableACKInSynSent: return "SYN-SENT 状态收到不可接受的 ACK"
        case .rstWithoutACKInSynSent: return "SYN-SENT 状态收到不带 ACK 的 RST"
        case .noSYNInSynSent: return "SYN-SENT 状态收到非 SYN"
        case .rstNotAtNextSequence: return "RST 序号不等于 RCV.NXT：挑战 ACK"
        case .synInSynchronizedState: return "同步状态收到 SYN：挑战 ACK"
        case .noACK: return "没有 ACK 标志"
        case .rstOutOfWindow: return "RST 在窗口之外"
        case .duplicateSYN: return "重复的 SYN"
        case .outOfWindow: return "在窗口之外"
        case .unacceptableACKInSynReceived: return "SYN-RECEIVED 状态收到不可接受的 ACK"
        case .ackOfUnsentData: return "确认了未发送的数据"
        case .receiveBufferFull: return "接收缓冲区已满"
        }
    }

    /// `connect`, `close()` and so on: the socket API keeps its C names in both languages.
    static func call(_ call: SocketCall, _ language: LessonLanguage) -> String {
        let argument = call.argument
        guard language == .zh else { return argument.isEmpty ? call.name : "\(call.name) \(argument)" }
        switch call {
        case .listen(let backlog): return "listen()，队列长度 \(backlog)"
        case .connect(let to), .connectUDP(let to): return "connect() 到 \(to)"
        case .accept(let from): return "accept() 得到 \(from)"
        case .send(let bytes): return "send() \(bytes) 字节"
        case .sendForever: return "send() 持续不断"
        case .sendTo(let to, let bytes): return "sendto() \(bytes) 字节到 \(to)"
        case .shutdownWrite, .close, .abort, .pauseReading, .resumeReading, .bindUDP: return "\(call.name)()"
        case .setKeepalive(let keepalive?):
            return "setsockopt(SO_KEEPALIVE)，空闲 \(duration(keepalive.idle, language))，间隔 "
                + "\(duration(keepalive.interval, language))，探测 \(keepalive.probes) 次"
        case .setKeepalive(nil): return "setsockopt(SO_KEEPALIVE) 关闭"
        case .setOption(.noDelay(let on)): return "setsockopt(TCP_NODELAY) " + (on ? "开启" : "关闭")
        case .setOption(.quickACK(let on)): return "setsockopt(TCP_QUICKACK) " + (on ? "开启" : "关闭")
        case .setOption(.receiveBuffer(let size)): return "setsockopt(SO_RCVBUF) \(size) 字节"
        case .setOption(.sendBuffer(let size)): return "setsockopt(SO_SNDBUF) \(size) 字节"
        case .setOption(.lingerZero): return "setsockopt(SO_LINGER) 超时为 0：close() 将发送 RST"
        }
    }

    static func notification(_ notification: SocketNotification, _ language: LessonLanguage) -> String {
        guard language == .zh else { return notification.description }
        switch notification {
        case .open(let remote): return "onopen（对端 \(remote)）"
        case .message(let bytes, let intact): return "onmessage \(bytes) 字节" + (intact ? "" : "（已损坏）")
        case .datagram(let bytes, let from, let intact): return "onmessage 来自 \(from) 的 \(bytes) 字节" + (intact ? "" : "（已损坏）")
        case .end: return "onend（对端已结束发送）"
        case .error: return "onerror（连接出错）"
        case .close: return "onclose"
        }
    }

    /// `1.000s` in English, `1.000 秒` in Chinese; `20ms` / `20 毫秒`.
    static func duration(_ ns: Int64, _ language: LessonLanguage) -> String {
        let text = EndpointPanel.seconds(ns)
        guard language == .zh else { return text }
        if text.hasSuffix("ms") { return String(text.dropLast(2)) + " 毫秒" }
        return String(text.dropLast()) + " 秒"
    }
}

extension LocalizedTerms {
    /// A note as the listing says it.
    static func note(_ note: TraceNote, _ language: LessonLanguage) -> String {
        guard language == .zh else { return note.description }
        switch note {
        case .linkDown: return "线路断开"
        case .linkUp: return "线路恢复"
        case .bitFlipped(let bit, let link): return "\(link) 上翻转了第 \(bit) 位"
        case .noTCPSocket(let port): return "端口 \(port) 上没有套接字：回复 RST"
        case .noUDPSocket(let port): return "UDP 端口 \(port) 上没有套接字：回复 ICMP 端口不可达"
        case .timeLimitReached(let limit, let open):
            return "到达时间上限 \(limit)，运行结束；"
                + (open.isEmpty ? "没有仍打开的长连接" : "仍打开的长连接：" + open.joined(separator: "、"))
        case .text(let text): return text
        }
    }

    /// An application event as the listing says it: what the protocol did, in the learner's language.
    static func application(_ event: ApplicationEvent, _ language: LessonLanguage) -> String {
        guard language == .zh else { return event.description }
        func way(_ direction: ApplicationEvent.Direction) -> String { direction == .sent ? "发出" : "收到" }
        func time(_ nanoseconds: Int64) -> String { duration(nanoseconds, language) }
        switch event {
        case .httpRequestSent(let id, let line, let header, let body):
            return "发出 HTTP 请求 #\(id) \(line)，首部 \(header) 字节，正文 \(body) 字节"
        case .httpRequestReceived(let id, let line, let body):
            return "收到 HTTP 请求 #\(id) \(line)，正文 \(body) 字节"
        case .httpResponseSent(let id, let version, let status, let header, let body):
            return "发出 HTTP 响应 #\(id) \(version) \(status)，首部 \(header) 字节，正文 \(body) 字节"
        case .httpResponseReceived(let id, let version, let status, let body, let latency):
            return "收到 HTTP 响应 #\(id) \(version) \(status)，正文 \(body) 字节，延迟 \(time(latency))"
        case .httpRejected(let status, _):
            return "请求无法解析，回复 \(status)"
        case .httpFailed(let id, _):
            return "HTTP 请求 #\(id) 没有得到响应"
        case .httpIdleClose(let idle):
            return "持久连接空闲 \(time(idle))，服务器关闭它"
        case .messageSent(let id, let header, let payload):
            return "发出消息 #\(id)，帧首部 \(header) 字节，数据 \(payload) 字节"
        case .messageReceived(let id, let payload, let latency):
            return "收到消息 #\(id)，数据 \(payload) 字节" + (latency.map { "，延迟 \(time($0))" } ?? "")
        case .ping(let direction, let sequence, let bytes):
            return "\(way(direction))心跳 PING #\(sequence)（\(bytes) 字节）"
        case .pong(let direction, let sequence, let bytes):
            return "\(way(direction))心跳回应 PONG #\(sequence)（\(bytes) 字节）"
        case .peerDead(let silence):
            return "对端沉默了 \(time(silence))，判定它已断开"
        case .reconnect(let attempt, let delay):
            return "第 \(attempt) 次重连，\(time(delay))后"
        case .chatMessage(let direction, let id, let from, let payload, let latency):
            return direction == .sent ? "发布聊天消息 #\(id)（作者 \(from)，\(payload) 字节）"
                : "收到聊天消息 #\(id)（作者 \(from)，\(payload) 字节）" + (latency.map { "，送达延迟 \(time($0))" } ?? "")
        case .webSocket(let event):
            return webSocket(event, language)
        case .mqtt(let event):
            return mqtt(event, language)
        }
    }
}
