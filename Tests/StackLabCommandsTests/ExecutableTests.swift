import Foundation
import Testing

/// Runs the built `stacklab` binary as a real process: the one test of `exitWithStatus(of:)`,
/// file descriptors and exit statuses end to end.
@Suite struct Executable {
    /// The `stacklab` binary in the build products directory that holds this test bundle, or
    /// `STACKLAB_EXECUTABLE` if set.
    static let binary: URL? = {
        let fileManager = FileManager.default
        if let path = ProcessInfo.processInfo.environment["STACKLAB_EXECUTABLE"] {
            return fileManager.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
        }
        var starts: [URL] = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { starts.append(executable) }
        if let first = CommandLine.arguments.first { starts.append(URL(fileURLWithPath: first)) }
        if let exe = try? fileManager.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append(URL(fileURLWithPath: exe))
        }
        for start in starts {
            // Walk up a few directories: xctest bundles nest the test executable inside them.
            var directory = start.resolvingSymlinksInPath()
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("stacklab")
                var isDirectory: ObjCBool = false
                if fileManager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                   fileManager.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        return nil
    }()

    private func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let binary = try #require(Self.binary)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting, so a full pipe cannot block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test(.enabled(if: Executable.binary != nil, "the stacklab binary was not found next to the test bundle; set STACKLAB_EXECUTABLE"))
    func helpExitsZero() throws {
        let result = try run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: stacklab [COMMAND] [OPTIONS]"))
        #expect(result.stderr.isEmpty)
    }

    @Test(.enabled(if: Executable.binary != nil, "the stacklab binary was not found next to the test bundle; set STACKLAB_EXECUTABLE"))
    func unknownCommandExitsTwo() throws {
        let result = try run(["bogus"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("error: unknown command 'bogus'."))
    }

    @Test(.enabled(if: Executable.binary != nil, "the stacklab binary was not found next to the test bundle; set STACKLAB_EXECUTABLE"))
    func versionAndBadValues() throws {
        #expect(try run(["--version"]) == (0, "stacklab 0.1.0\n", ""))
        let bad = try run(["run", "x", "--loss", "1.5"])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("error: --loss: 1.5 is outside [0, 1]\n"))
    }
}
