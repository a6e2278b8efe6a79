import Tracing

/// The lesson page's own words in each language (the stepper's words come from `UIText`).
/// `{n}`, `{from}`, `{to}` are filled in by the page.
enum PageText {
    static func words(_ language: LessonLanguage) -> JSONValue {
        let zh = language == .zh
        return .object([
            ("back", .string(zh ? "◀ 上一步" : "◀ Back")),
            ("next", .string(zh ? "下一步 ▶" : "Next ▶")),
            ("go_to", .string(zh ? "跳到" : "Go to")),
            ("ladder", .string(zh ? "时序图" : "Ladder")),
            ("states", .string(zh ? "状态图" : "State diagram")),
            ("quiz_mode", .string(zh ? "先测验" : "Quiz me")),
            ("packet", .string(zh ? "数据包" : "Packet")),
            ("no_packet", .string(UIText.noPacket(language))),
            ("no_connection", .string(UIText.noConnection(language))),
            ("bytes", .string(zh ? "第 {from}–{to} 字节" : "bytes {from}–{to}")),
            ("more_bytes", .string(zh ? "……（共 {n} 字节）" : "… ({n} bytes in all)")),
            ("right", .string(UIText.right(language))),
            ("end", .string(zh ? "本课结束。按 ← 回看。" : "End of the lesson. Press ← to look back.")),
            ("choose", .string(zh ? "点击一个答案，或按 1–{n}" : "Click an answer, or press 1–{n}")),
            ("marked", .string(zh ? "标出的报文段：" : "Marked segment: ")),
            ("keys", .string(zh ? "空格/→ 下一步  ← 上一步  g 跳转  s 状态图  ↑↓ 字段  1–9 作答"
                                : "space/→ next  ← back  g go to  s state diagram  ↑↓ field  1–9 answer")),
        ])
    }
}
