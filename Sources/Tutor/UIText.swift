import Stack
import Tracing

/// The stepper's own words in each language.
enum UIText {
    static func step(_ n: Int, of total: Int, _ language: LessonLanguage) -> String {
        language == .zh ? "第 \(n)/\(total) 步" : "Step \(n) of \(total)"
    }

    static func lesson(_ number: Int, _ language: LessonLanguage) -> String {
        language == .zh ? "第 \(number) 课" : "Lesson \(number)"
    }

    static func keys(_ language: LessonLanguage) -> String {
        language == .zh ? "空格/→ 下一步  ← 上一步  g 跳转  d 包详情  ? 帮助  q 退出"
            : "space/→ next  ← back  g go to  d details  ? help  q quit"
    }

    static func help(_ language: LessonLanguage) -> [String] {
        language == .zh ? [
            "按键", "",
            "  空格、→、回车   下一步", "  ←、退格         上一步（运行是确定的，回退完全精确）",
            "  g               跳到第 N 步", "  d               显示/隐藏数据包详情与十六进制",
            "  ↑ ↓             在数据包详情中选择字段", "  ?               本帮助", "  q、Ctrl-C       退出", "",
            "按任意键返回。",
        ] : [
            "Keys", "",
            "  space, →, enter   next step", "  ←, backspace      previous step (the run is deterministic: going back is exact)",
            "  g                 go to step N", "  d                 show or hide the packet details and hex bytes",
            "  ↑ ↓               select a field in the packet details", "  ?                 this help", "  q, Ctrl-C         quit", "",
            "Press any key to return.",
        ]
    }

    static func noPacket(_ language: LessonLanguage) -> String {
        language == .zh ? "（这一步没有数据包）" : "(no packet at this step)"
    }

    static func noConnection(_ language: LessonLanguage) -> String {
        language == .zh ? "（没有 TCP 连接）" : "(no TCP connection)"
    }

    static func notYet(_ language: LessonLanguage) -> String {
        language == .zh ? "尚未创建" : "not created yet"
    }

    static func quizFlags(_ host: String, _ language: LessonLanguage) -> String {
        language == .zh ? "测验：\(host) 发出的下一个报文段带哪些标志位？" : "Quiz: which flags will the next segment from \(host) carry?"
    }

    static func quizState(_ host: String, _ language: LessonLanguage) -> String {
        language == .zh ? "测验：\(host) 接下来进入哪个状态？" : "Quiz: which state does \(host) enter next?"
    }

    static func answer(_ text: String, _ language: LessonLanguage) -> String {
        language == .zh ? "答案：\(text)" : "Answer: \(text)"
    }

    static func right(_ language: LessonLanguage) -> String {
        language == .zh ? "答对了！" : "Right!"
    }

    static func wrong(_ answer: String, _ language: LessonLanguage) -> String {
        language == .zh ? "不对，答案是 \(answer)。原因如下：" : "Not quite: it is \(answer). Here is why:"
    }

    static func choose(_ count: Int, _ language: LessonLanguage) -> String {
        language == .zh ? "按 1–\(count) 作答" : "Press 1–\(count) to answer"
    }

    static func goTo(_ total: Int, _ language: LessonLanguage) -> String {
        language == .zh ? "跳到第几步（1–\(total)）：" : "Go to step (1–\(total)): "
    }

    static func end(_ language: LessonLanguage) -> String {
        language == .zh ? "本课结束。按 q 退出，← 回看。" : "End of the lesson. Press q to quit, ← to look back."
    }

    static func scenarioLine(_ name: String, seed: UInt64, profile: StackProfile, ablation: Ablation?, _ language: LessonLanguage) -> String {
        let ablated = ablation.map { language == .zh ? "，故意破坏：\($0)" : ", ablation \($0)" } ?? ""
        return language == .zh ? "场景 \(name)（种子 \(seed)，配置 \(profile)\(ablated)）"
            : "Scenario \(name) (seed \(seed), profile \(profile)\(ablated))"
    }
}
