import Tracing

/// A lesson's run as pcapng (`stacklab export LESSON --pcapng OUT`): the packets with what
/// StackLab knew in their comments (`TracePcapng`), and each step's narration under its event,
/// right after the event's own comment, so Wireshark reads the story in order.
public enum LessonPcapng {
    public static func bytes(_ run: LessonRun, languages: [LessonLanguage] = [.en]) -> [UInt8] {
        bytes([run], languages: languages)
    }

    /// A lesson in parts: one pcapng section per part (a section header block starts each, as
    /// pcapng allows; Wireshark reads them in order), the steps numbered through the lesson.
    public static func bytes(_ runs: [LessonRun], languages: [LessonLanguage] = [.en]) -> [UInt8] {
        let total = runs.reduce(0) { $0 + $1.lesson.steps.count }
        var first = 1
        return runs.flatMap { run in
            defer { first += run.lesson.steps.count }
            return TracePcapng.bytes(of: run.trace, extraComments: comments(run, languages: languages, firstStep: first, of: total))
        }
    }

    /// Where each step's narration goes, in each language: under the step's event, in the packet
    /// that tells it; but never in a packet before the previous step's (packets are in the order
    /// they were sent, and an ACK sent before a FIN may tell a later step), so the narration reads
    /// in step order, each after the event it narrates. A step no packet tells (a timer firing
    /// with nothing to send) goes with the last packet before it.
    /// Steps are numbered from `firstStep` of `total` (the whole lesson's, for a part).
    public static func comments(_ run: LessonRun, languages: [LessonLanguage], firstStep: Int = 1,
                                of total: Int? = nil) -> [Int: [String]] {
        let owners = TracePcapng.packetOwners(in: run.trace)
        // Per packet (by its send's event index), the events it tells, in order.
        var told: [Int: [Int]] = [:]
        for (event, owner) in owners.enumerated() {
            if let owner { told[owner, default: []].append(event) }
        }
        guard let firstPacket = owners.compactMap({ $0 }).min() else { return [:] }
        var comments: [Int: [String]] = [:]
        var previous = (packet: firstPacket, key: -1)
        for (index, step) in run.lesson.steps.enumerated() {
            let event = run.eventIndices[index]
            let own = owners[event] ?? (0...event).last { owners[$0] == $0 } ?? firstPacket
            let packet = max(own, previous.packet)
            // Right after the step's event when its packet tells it; else after the last thing the
            // packet tells up to the step's event; never before the previous step's narration.
            var key = owners[event] == packet ? event : told[packet]?.last { $0 <= event } ?? packet
            if packet == previous.packet { key = max(key, previous.key) }
            previous = (packet, key)
            for language in languages {
                let narration = text(step, in: run.lesson, number: firstStep + index, of: total ?? run.lesson.steps.count,
                                     language: language)
                comments[key, default: []].append(narration)
            }
        }
        return comments
    }

    /// `Step 3 of 8 · when server enters CLOSE-WAIT: The server acknowledges …`: one line, the
    /// narration's marks left out, paragraphs one after another.
    static func text(_ step: LessonStep, in lesson: Lesson, number: Int, of count: Int, language: LessonLanguage) -> String {
        let paragraphs = step.paragraphs(language).map { paragraph in
            let item = paragraph.hasPrefix("- ") || paragraph.hasPrefix("* ")
            let plain = Narration.spans(item ? String(paragraph.dropFirst(2)) : paragraph).map(\.text).joined()
            return (item ? "• " : "") + plain
        }
        let colon = language == .zh ? "：" : ": "
        return "\(UIText.step(number, of: count, language)) · \(UIText.heading(StepHeading.text(step, language), in: lesson, language))"
            + colon
            + paragraphs.joined(separator: " ").split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
