import Rendering
import Tracing
import Wire

/// Trace events as the plain lesson lists them, in the learner's language: a short tag and
/// what happened, packets written like the ladder labels them (`SYN,ACK seq=0 ack=1`,
/// `1460 bytes seq=1 ack=1`) with sequence numbers as the lesson asks.
struct EventText {
    let run: LessonRun
    let language: LessonLanguage
    let model: LadderModel

    init(run: LessonRun, language: LessonLanguage, sequence: SequenceDisplay) {
        self.run = run
        self.language = language
        model = LadderModel(trace: run.trace, sequence: sequence)
    }

    /// Whether the listing shows an event of this kind (what a learner follows: sends, drops,
    /// state changes, socket calls and events, timers firing).
    static func isListed(_ kind: TraceEventKind) -> Bool {
        switch kind {
        case .packetSent, .packetDropped, .stateChanged, .socketCall, .socketEvent, .application, .note: true
        case .timer(_, _, let action): action == .fired
        case .packetReceived, .packetDuplicated, .congestion, .variables: false
        }
    }

    /// The tag and the text of event `index`.
    func line(_ index: Int) -> (tag: String, text: String) {
        let event = run.events[index]
        let zh = language == .zh
        switch event.kind {
        case .packetSent(let bytes, let cause):
            let again = cause.isRetransmission ? (zh ? "（重传）" : " (retransmission)") : ""
            return (zh ? "发送" : "send", packet(index, bytes) + again)
        case .packetReceived(let bytes):
            return (zh ? "接收" : "recv", packet(index, bytes))
        case .packetDuplicated(let bytes):
            return (zh ? "复制" : "dup", packet(index, bytes))
        case .packetDropped(let bytes, let reason):
            let why = LocalizedTerms.drop(reason, language)
            return (zh ? "丢弃" : "drop", packet(index, bytes) + (zh ? "（\(why)）" : " (\(why))"))
        case .stateChanged(let connection, let from, let to, let cause):
            let why = LocalizedTerms.cause(cause, language)
            let endpoint = connection.prefix { $0 != ">" }
            return (zh ? "状态" : "state", zh ? "\(endpoint) \(from) → \(to)（\(why)）" : "\(endpoint) \(from) -> \(to) (\(why))")
        case .timer(let connection, let timer, let action):
            let endpoint = connection.prefix { $0 != ">" }
            let name = LocalizedTerms.timer(timer, language)
            switch action {
            case .set(let at):
                let delay = LocalizedTerms.duration(at - event.time, language)
                return (zh ? "计时" : "timer", zh ? "\(endpoint) \(name)计时器启动，\(delay)后到期" : "\(endpoint) \(name) set for \(delay)")
            case .fired: return (zh ? "计时" : "timer", zh ? "\(endpoint) \(name)计时器到期" : "\(endpoint) \(name) fired")
            case .cancelled: return (zh ? "计时" : "timer", zh ? "\(endpoint) \(name)计时器取消" : "\(endpoint) \(name) cancelled")
            }
        case .socketCall(let socket, let call):
            return (zh ? "调用" : "call", "\(socket) " + LocalizedTerms.call(call, language))
        case .socketEvent(let socket, let notification):
            return (zh ? "事件" : "event", "\(socket) " + LocalizedTerms.notification(notification, language))
        case .congestion(let connection, let cwnd, let ssthresh, let reason):
            let threshold = ssthresh >= 1 << 30 ? "∞" : "\(ssthresh)"
            let why = LocalizedTerms.congestion(reason, language)
            return (zh ? "拥塞" : "cwnd", "\(connection.prefix { $0 != ">" }) cwnd \(cwnd) ssthresh \(threshold)"
                        + (zh ? "（\(why)）" : " (\(why))"))
        case .variables(let connection, let v):
            return (zh ? "变量" : "vars", "\(connection.prefix { $0 != ">" }) SND.NXT \(v.sndNXT &- v.iss) cwnd \(v.cwnd)")
        case .application(let socket, let application):
            return (zh ? "应用" : "app", "\(socket) " + LocalizedTerms.application(application, language))
        case .note(let note):
            return (zh ? "注释" : "note", LocalizedTerms.note(note, language))
        }
    }

    /// `client:49152 > server:80 SYN seq=0 win 65535`, from the ladder's reading of the packet.
    private func packet(_ index: Int, _ bytes: [UInt8]) -> String {
        let endpoints = Self.endpoints(bytes, hostNames: run.hostNames)
        guard let row = model.rowOfEvent[index] else { return endpoints }
        let f: Int
        switch model.rows[row].content {
        case .send(let flight), .arrival(let flight, _), .hostDrop(let flight): f = flight
        case .state, .timerFired: return endpoints
        }
        let flight = model.flights[f]
        var label = flight.label
        if flight.isRetransmission, label.hasSuffix(" (retransmission)") { label = String(label.dropLast(" (retransmission)".count)) }
        var text = "\(endpoints) \(label)"
        if let tcp = flight.tcp { text += (language == .zh ? " 窗口 " : " win ") + "\(tcp.window)" }
        guard language == .zh else { return text }
        return text.replacingWord(" bytes", with: " 字节").replacingWord(" 1 byte", with: " 1 字节")
    }

    /// `client:49152 > server:80` (addresses when a host is not named).
    static func endpoints(_ bytes: [UInt8], hostNames: [IPv4Address: String]) -> String {
        guard bytes.count >= 20 else { return "?" }
        let h = Int(bytes[0] & 0x0F) * 4
        func address(_ i: Int) -> String {
            let a = IPv4Address(UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3]))
            return hostNames[a] ?? a.description
        }
        let ports = (bytes[9] == 6 || bytes[9] == 17) && bytes.count >= h + 4
        let sport = ports ? ":\(Int(bytes[h]) << 8 | Int(bytes[h + 1]))" : ""
        let dport = ports ? ":\(Int(bytes[h + 2]) << 8 | Int(bytes[h + 3]))" : ""
        return "\(address(12))\(sport) > \(address(16))\(dport)"
    }
}
