extension LessonRun {
    /// One run per part of `lesson` (one run for a lesson in one piece), every part's problems
    /// together: a lesson in parts shows the same story on several runs, e.g. the textbook
    /// profile, the linux profile and the kernel one after the other.
    public static func parts(_ lesson: Lesson, kernel: KernelRunChoice = .stored) throws(LessonErrors) -> [LessonRun] {
        var runs: [LessonRun] = []
        var errors: [LessonError] = []
        for part in lesson.runnableParts {
            do { runs.append(try LessonRun(part, kernel: kernel)) } catch { errors += error.errors }
        }
        if !errors.isEmpty { throw LessonErrors(errors: errors) }
        return runs
    }
}
