extension Command {
    /// `stacklab export LESSON [--lang en|zh] -o OUT.html [--pcapng OUT.pcapng]`
    static let export = Command(
        name: "export",
        summary: "Export a lesson as one self-contained web page, and as pcapng.",
        discussion: "The page holds everything (the ladder, the state diagram, every step's panels, packet and "
            + "narration) and fetches nothing, so it works from a file on any machine with a browser. Keys as in "
            + "'stacklab learn': space or → next, ← back, g go to a step, s the state diagram, ↑ ↓ a packet field, "
            + "1–9 answer a quiz. Both languages are exported, with a switch, unless --lang picks one. --pcapng writes "
            + "the lesson's packets for Wireshark with the story in packet comments and each step's narration under "
            + "its event. Without -o and --pcapng the page goes to standard output.",
        arguments: [
            .required("lesson", "LESSON", help: "The lesson's name or number, as 'stacklab lessons' lists it."),
        ],
        options: [
            .string("output", short: "o", valueName: "OUT.html", help: "Write the page to this file."),
            .string("pcapng", valueName: "OUT.pcapng",
                    help: "Write the lesson's packets, with the narration in packet comments."),
            .choice("lang", ["en", "zh"],
                    help: "Export only this language (default: both, with a switch on the page)."),
            .flag("quiz", help: "The page opens with the quiz on: predict the flags or the state before chosen steps."),
            .choice("isn", ["relative", "absolute", "symbolic"],
                    help: "Sequence numbers relative to each side's ISN, absolute, or symbolic (x and y as in "
                        + "textbooks); the lesson's own choice when not given."),
        ],
        handler: ExportHandler.run)
}
