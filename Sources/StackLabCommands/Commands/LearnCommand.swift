extension Command {
    /// `stacklab learn LESSON [--plain] [--auto SECONDS] [--lang en|zh] [--quiz]`
    static let learn = Command(
        name: "learn",
        summary: "Step through a lesson, packet by packet.",
        discussion: "On a terminal the lesson takes the screen: space, → or enter for the next step; ← or backspace "
            + "to go back; g to go to a step; d to show or hide the packet details; ↑ ↓ to pick a field; ? for help; "
            + "s for the TCP state diagram; i to switch how sequence numbers are written; q to leave the lesson. With --plain, or when the output is not a terminal, the whole lesson is printed as text. "
            + "With --quiz you predict the next segment's flags or the next state before chosen steps. "
            + "A lesson that runs on the Linux kernel runs live on lo where packets can be captured (root or "
            + "CAP_NET_RAW), else from the capture stored with it.",
        arguments: [
            .required("lesson", "LESSON", help: "The lesson's name or number, as 'stacklab lessons' lists it."),
        ],
        options: [
            .flag("plain", help: "No colour, no screen control: plain text, one step after another."),
            .number("auto", valueName: "SECONDS", in: 0...3600, help: "Advance every SECONDS seconds without waiting for a key."),
            .choice("lang", ["en", "zh"], help: "The language of the lesson text.", default: "en"),
            .flag("quiz", help: "Before chosen steps, predict the next segment's flags or the next state."),
            .choice("isn", ["relative", "absolute", "symbolic"],
                    help: "Sequence numbers relative to each side's ISN, absolute, or symbolic (x and y as in textbooks); "
                        + "the lesson's own choice when not given."),
            .flag("stored", help: "For a lesson on the Linux kernel: the capture stored with the lesson, not a live run."),
        ],
        handler: LearnHandler.run)
}
