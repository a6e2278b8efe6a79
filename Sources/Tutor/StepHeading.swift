import Tracing

/// A step's heading as the learner reads it: in English the lesson's own words (`at first SYN
/// from client`), in Chinese the same binding said in Chinese. While a quiz is asked, the part
/// that is the answer (the segment's flags, the state entered) is left out.
enum StepHeading {
    static func text(_ step: LessonStep, _ language: LessonLanguage, masked: Bool = false) -> String {
        let selector = step.binding
        if language == .en && !masked { return step.heading }
        switch language {
        case .en: return maskedEnglish(selector)
        case .zh: return chinese(selector, masked: masked)
        }
    }

    private static func maskedEnglish(_ selector: EventSelector) -> String {
        switch selector.target {
        case let .packet(_, from, to, fate):
            var text = "at the next segment"
            if let from { text += " from \(from)" }
            if let to { text += " to \(to)" }
            return fate == .sent ? text : "\(text) \(fate.rawValue)"
        case let .state(host, _):
            return "when \(host) enters ?"
        case .start, .end, .packetNumber, .eventNumber, .call, .socketEvent, .timer, .congestion, .application:
            return "?"
        }
    }

    static func ordinal(_ ordinal: EventSelector.Ordinal) -> String {
        switch ordinal {
        case .last: return "最后一个"
        case .nth(let n):
            let words = ["", "第一个", "第二个", "第三个", "第四个", "第五个", "第六个", "第七个", "第八个", "第九个", "第十个"]
            return n < words.count ? words[n] : "第 \(n) 个"
        }
    }

    /// `第二次`, or nothing for the first time.
    static func times(_ ordinal: EventSelector.Ordinal) -> String {
        switch ordinal {
        case .last: return "最后一次"
        case .nth(1): return ""
        case .nth(let n): return "第 \(n) 次"
        }
    }

    static func kind(_ kind: EventSelector.PacketKind) -> String {
        switch kind {
        case .syn, .synAck, .ack, .fin, .finAck, .rst, .icmp: return kind.rawValue
        case .data: return "数据段"
        case .segment: return "报文段"
        case .datagram: return "UDP 数据报"
        case .packet: return "数据包"
        }
    }

    private static func chinese(_ selector: EventSelector, masked: Bool) -> String {
        switch selector.target {
        case .start: return "开始时"
        case .end: return "结束时"
        case .packetNumber(let n): return "第 \(n) 个数据包"
        case .eventNumber(let n): return "第 \(n) 个事件"
        case let .packet(kind, from, to, fate):
            let name = Self.kind(kind)
            let latin = name.unicodeScalars.first.map { $0.isASCII } ?? false
            var text = masked ? "下一个报文段" : ordinal(selector.ordinal) + (latin ? " " : "") + name
            if let to { text = "发往 \(to) 的" + text }
            if let from { text = "\(from) " + (to == nil ? "发出的" : "") + text }
            switch fate {
            case .sent: return text
            case .received: return text + "被收到"
            case .dropped: return text + "被丢弃"
            case .retransmitted: return text + "被重传"
            }
        case let .state(host, state):
            return "\(host) \(times(selector.ordinal))进入 " + (masked ? "？" : state.rawValue)
        case let .call(host, call):
            return "\(host) \(times(selector.ordinal))调用 \(call)()"
        case let .socketEvent(host, event):
            return "\(host) \(times(selector.ordinal))收到 on\(event) 事件"
        case let .timer(timer, host):
            return (host.map { "\($0) 的" } ?? "") + times(selector.ordinal) + LocalizedTerms.timer(timer, .zh) + "计时器到期"
        case let .congestion(host, reasons):
            let why = reasons.map { "（" + $0.map { LocalizedTerms.congestion($0, .zh) }.joined(separator: "、") + "）" } ?? ""
            return (host.map { "\($0) 的" } ?? "") + times(selector.ordinal) + "拥塞窗口变化" + why
        case let .application(host, event, direction):
            let way = direction.map { $0 == .sent ? "发出" : "收到" } ?? "记录"
            return "\(host) \(times(selector.ordinal))\(way)应用事件 \(event)"
        }
    }
}
