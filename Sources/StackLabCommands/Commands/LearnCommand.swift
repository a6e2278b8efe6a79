extension Command {
    /// `stacklab learn LESSON [--plain] [--auto SECONDS] [--lang en|zh]`
    static let learn = Command(
        name: "learn",
        summary: "Step through a lesson, packet by packet.",
        discussion: "Press Enter for the next step. With --auto the lesson advances by itself.",
        arguments: [
            .required("lesson", "LESSON", help: "The lesson's name or number, as 'stacklab lessons' lists it."),
        ],
        options: [
            .flag("plain", help: "No colour, no screen control: plain text, one step after another."),
            .number("auto", valueName: "SECONDS", in: 0...3600, help: "Advance every SECONDS seconds without waiting for a key."),
            .choice("lang", ["en", "zh"], help: "The language of the lesson text.", default: "en"),
        ],
        handler: notAvailableYet("learn"))
}
