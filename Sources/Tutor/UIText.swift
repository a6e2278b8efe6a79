import Rendering
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

    /// `Part 2 of 3 · The linux profile`, for a lesson in parts.
    static func part(_ part: LessonPart, _ language: LessonLanguage) -> String {
        (language == .zh ? "第 \(part.number)/\(part.count) 部分 · " : "Part \(part.number) of \(part.count) · ") + part.title(language)
    }

    /// A step's heading with its part's title before it (`The linux profile · at …`), for a lesson in parts.
    static func heading(_ heading: String, in lesson: Lesson, _ language: LessonLanguage) -> String {
        guard let part = lesson.part else { return heading }
        return part.title(language) + " · " + heading
    }

    static func keys(_ language: LessonLanguage) -> String {
        language == .zh ? "空格/→ 下一步  ← 上一步  g 跳转  d 包详情  s 状态图  i 序号  ? 帮助  q 退出"
            : "space/→ next  ← back  g go to  d details  s states  i ISN  ? help  q quit"
    }

    static func help(_ language: LessonLanguage) -> [String] {
        language == .zh ? [
            "按键", "",
            "  空格、→、回车   下一步", "  ←、退格         上一步（运行是确定的，回退完全精确）",
            "  g               跳到第 N 步", "  d               显示/隐藏数据包详情与十六进制",
            "  ↑ ↓             在数据包详情中选择字段", "  s               TCP 状态图：每一端的当前状态和刚走过的转换",
            "  i               序号写法：相对值、绝对值、x 与 y（教科书写法）",
            "  ?               本帮助", "  q、Ctrl-C       退出本课", "",
            "按任意键返回。",
        ] : [
            "Keys", "",
            "  space, →, enter   next step", "  ←, backspace      previous step (the run is deterministic: going back is exact)",
            "  g                 go to step N", "  d                 show or hide the packet details and hex bytes",
            "  ↑ ↓               select a field in the packet details",
            "  s                 the TCP state diagram: each end's state and the transition it just took",
            "  i                 sequence numbers: relative, absolute, or x and y as textbooks write them",
            "  ?                 this help", "  q, Ctrl-C         leave the lesson", "",
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

    static func notSampledYet(_ language: LessonLanguage) -> String {
        language == .zh ? "内核状态尚未采样" : "kernel state not sampled yet"
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

    /// `Scenario teardown (seed 1, profile textbook)`; for a kernel lesson, where its run came from.
    static func scenarioLine(_ run: LessonRun, _ language: LessonLanguage) -> String {
        let scenario = run.scenario
        let zh = language == .zh
        switch run.source {
        case .simulated:
            let ablated = run.lesson.header.ablation.map { zh ? "，故意破坏：\($0)" : ", ablation \($0)" } ?? ""
            return zh ? "场景 \(scenario.name)（种子 \(scenario.seed)，配置 \(scenario.profile)\(ablated)）"
                : "Scenario \(scenario.name) (seed \(scenario.seed), profile \(scenario.profile)\(ablated))"
        case .kernelLive:
            return zh ? "场景 \(scenario.name)（Linux 内核，刚刚在 lo 上实时运行）"
                : "Scenario \(scenario.name) (the Linux kernel, run live on lo just now)"
        case .kernelStored(let whyNotLive):
            let file = run.lesson.header.capture ?? ""
            let why = whyNotLive.map { zh ? "；没有实时运行：\($0)" : "; not run live: \($0)" } ?? ""
            return zh ? "场景 \(scenario.name)（Linux 内核，本课保存的抓包 \(file)\(why)）"
                : "Scenario \(scenario.name) (the Linux kernel, the capture stored with the lesson, \(file)\(why))"
        }
    }
}

extension UIText {
    static func inFlight(_ language: LessonLanguage) -> String {
        language == .zh ? "在途" : "in flight"
    }

    static func timers(_ language: LessonLanguage) -> String {
        language == .zh ? "计时器" : "timers"
    }

    static func timerLabel(_ timer: TCPTimer, _ language: LessonLanguage) -> String {
        language == .zh ? LocalizedTerms.timer(timer, language) + "计时器" : timer.rawValue
    }
}

extension UIText {
    static func more(_ language: LessonLanguage) -> String {
        language == .zh ? "……（窗口太小，放大终端可看到全文）" : "… (enlarge the terminal to read the rest)"
    }

    /// `bytes 33–33` / `第 33–33 字节`.
    static func bytes(_ range: Range<Int>, _ language: LessonLanguage) -> String {
        language == .zh ? "第 \(range.lowerBound)–\(range.upperBound - 1) 字节" : "bytes \(range.lowerBound)–\(range.upperBound - 1)"
    }

    static func statesKeys(_ language: LessonLanguage) -> String {
        language == .zh ? "s 返回  空格/→ 下一步  ← 上一步  q 退出" : "s back to the lesson  space/→ next  ← back  q quit"
    }

    static func sequenceNames(_ display: SequenceDisplay, _ language: LessonLanguage) -> String {
        switch (display, language) {
        case (.relative, .en): "relative"
        case (.absolute, .en): "absolute"
        case (.symbolic, .en): "x and y"
        case (.relative, .zh): "相对值"
        case (.absolute, .zh): "绝对值"
        case (.symbolic, .zh): "x 与 y"
        }
    }
}
