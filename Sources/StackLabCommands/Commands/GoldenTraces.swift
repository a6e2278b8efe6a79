import Foundation

/// Finds the golden traces: `$STACKLAB_TRACES`, else `./Traces`, else a `Traces` folder beside
/// the executable or in one of its parents (so `swift run` from anywhere in the checkout finds it).
enum GoldenTraces {
    static func locate(environment: [String: String]) -> String? {
        if let path = environment["STACKLAB_TRACES"], !path.isEmpty { return path }
        if hasTraces("Traces") { return "Traces" }
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        if let executable = Bundle.main.executablePath {
            directory = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        }
        for _ in 0..<8 {
            let candidate = directory.appendingPathComponent("Traces").path
            if hasTraces(candidate) { return candidate }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { break }
            directory = parent
        }
        return nil
    }

    static func hasTraces(_ path: String) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).contains { $0.hasSuffix(".jsonl") }
    }

    /// The `.jsonl` files of `directory`, sorted by name.
    static func files(in directory: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jsonl") }.sorted()
        } catch {
            throw CommandFailure("cannot read the traces folder '\(directory)': \(error.localizedDescription)")
        }
    }
}
