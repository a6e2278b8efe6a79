#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tutor

/// Plain `stacklab`: the lesson menu. On a terminal, ↑/↓ and enter pick a lesson and start it;
/// otherwise a numbered list and how to start one.
enum LessonMenu {
    static func run(context: CommandContext) -> Int32 {
        let library: LessonLibrary
        do {
            library = try LessonLibrary.load(environment: context.environment)
        } catch let failure as CommandFailure {
            context.stderr.print("error: " + failure.message)
            return failure.status
        } catch {
            return ExitStatus.usage
        }
        let language: LessonLanguage = (context.environment["LANG"] ?? "").hasPrefix("zh") ? .zh : .en
        guard context.stdout.isTerminal, Terminal.isInteractive, !library.lessons.isEmpty else {
            context.stdout.print("StackLab — step through TCP/IP, packet by packet.")
            context.stdout.print()
            for line in LessonsHandler.listing(library.lessons, language: language) { context.stdout.print(line) }
            context.stdout.print()
            context.stdout.print("Start one with 'stacklab learn NAME' or its number, e.g. 'stacklab learn 3'.")
            context.stdout.print("Other commands: stacklab --help")
            return ExitStatus.success
        }
        var selected = 0
        var language2 = language
        // The menu comes back when a lesson is left with q.
        while true {
            guard Terminal.enter() else { return ExitStatus.usage }
            var chosen: Lesson?
            while chosen == nil {
                var lines = [context.stdout.bold("StackLab") + " — " + (language2 == .zh ? "逐个数据包学习 TCP/IP" : "step through TCP/IP, packet by packet"), ""]
                for (i, line) in LessonsHandler.listing(library.lessons, language: language2).enumerated() {
                    lines.append(i == selected ? (context.stdout.allowsColor ? "\u{1B}[7m" + line + "\u{1B}[0m" : "▶" + line.dropFirst()) : line)
                }
                lines += ["", language2 == .zh ? "↑ ↓ 选择  回车 开始  l 切换语言 (English)  q 退出" : "↑ ↓ choose  enter start  l 中文  q quit"]
                Terminal.draw(lines)
                switch Terminal.readKey(timeout: nil) {
                case .up: selected = max(0, selected - 1)
                case .down: selected = min(library.lessons.count - 1, selected + 1)
                case .enter, .next: chosen = library.lessons[selected]
                case .character("l"): language2 = language2 == .en ? .zh : .en
                case .character(let c) where c.isNumber:
                    if let n = Int(String(c)), let index = library.lessons.firstIndex(where: { $0.number == n }) { selected = index }
                case .interrupt, .endOfInput, .character("q"):
                    Terminal.leave()
                    return ExitStatus.success
                default: break
                }
            }
            Terminal.leave()
            do {
                let status = try LearnHandler.start(chosen!, options: .init(language: language2, quiz: false, auto: nil, sequence: nil),
                                                    interactive: true, context: context)
                if status != ExitStatus.success { return status }
            } catch let failure as CommandFailure {
                context.stderr.print("error: " + failure.message)
                return failure.status
            } catch {
                return ExitStatus.usage
            }
        }
    }
}
