extension Command {
    /// `stacklab lessons`
    static let lessons = Command(
        name: "lessons",
        summary: "List the lessons.",
        handler: notAvailableYet("lessons"))
}
