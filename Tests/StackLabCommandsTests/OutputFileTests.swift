import Foundation
import Testing
@testable import StackLabCommands

/// Output files (`-o`, `--trace`, `--pcap`, `--pcapng`, `--svg`) follow one rule (`OutputFile`):
/// a temporary file in the same directory renamed over the target; only regular files replaced;
/// symbolic links followed to an existing regular file; the mode kept; no partial file; a write
/// error is exit 2 with the old file left byte for byte.
@Suite("Output files are replaced safely or not at all")
struct OutputFileTests {
    static func directory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-output-\(getpid())-\(name)")
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    static func type(_ path: String) -> FileAttributeType? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
    }

    /// Files in `directory` other than `names`: a temporary file left behind would show here.
    static func strays(in directory: URL, besides names: Set<String>) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { !names.contains($0) }
    }

    @Test func diagramToDevFullExitsTwoWithoutTouchingTheDevice() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let before = try FileManager.default.attributesOfItem(atPath: "/dev/full")
        let result = invoke(["diagram", "handshake", "-o", "/dev/full"])
        #expect(result.status == 2)
        #expect(result.stderr == "error: /dev/full: a character device, not a regular file; StackLab writes only regular "
                + "files (write to a file and copy it there)\n")
        let after = try FileManager.default.attributesOfItem(atPath: "/dev/full")
        #expect(after[.type] as? FileAttributeType == .typeCharacterSpecial)
        #expect(after[.systemFileNumber] as? Int == before[.systemFileNumber] as? Int)
        #expect(invoke(["run", "handshake", "--pcap", "/dev/null"]).status == 2)
    }

    @Test func aDirectoryIsRefused() throws {
        let folder = try Self.directory("dir")
        let result = invoke(["run", "handshake", "--trace", folder.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("a directory, not a regular file"))
        #expect(Self.type(folder.path) == .typeDirectory)
    }

    @Test func replacingA0600FileKeeps0600() throws {
        let folder = try Self.directory("mode")
        let path = folder.appendingPathComponent("private.svg").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(invoke(["diagram", "handshake", "--format", "svg", "-o", path]).status == 0)
        #expect(try Self.mode(path) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("<?xml"))
        #expect(Self.strays(in: folder, besides: ["private.svg"]).isEmpty)
    }

    @Test func aNewFileGetsTheUmaskMode() throws {
        let folder = try Self.directory("new")
        let path = folder.appendingPathComponent("new.jsonl").path
        #expect(invoke(["run", "handshake", "--trace", path]).status == 0)
        let mask = umask(0o022)
        umask(mask)
        #expect(try Self.mode(path) == 0o666 & ~Int(mask))
    }

    @Test func aSymlinkToAMissingFileIsRefused() throws {
        let folder = try Self.directory("dangling")
        let link = folder.appendingPathComponent("trace.jsonl").path
        let target = folder.appendingPathComponent("missing.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "missing.jsonl")
        let result = invoke(["run", "handshake", "--trace", link])
        #expect(result.status == 2)
        #expect(result.stderr.contains("a symbolic link to \(folder.path)/missing.jsonl, which does not exist"))
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(Self.type(link) == .typeSymbolicLink)
    }

    @Test func aSymlinkToARegularFileIsFollowed() throws {
        let folder = try Self.directory("link")
        let target = folder.appendingPathComponent("real.pcap").path
        let link = folder.appendingPathComponent("link.pcap").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: target)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.pcap")
        #expect(invoke(["run", "handshake", "--pcap", link]).status == 0)
        #expect(Self.type(link) == .typeSymbolicLink)
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)).count > 100)
        #expect(try Self.mode(target) == 0o640)
        #expect(Self.strays(in: folder, besides: ["real.pcap", "link.pcap"]).isEmpty)
    }

    @Test func aMissingDirectoryIsExitTwo() {
        let result = invoke(["run", "handshake", "--trace", "/nonexistent-stacklab-dir/trace.jsonl"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent-stacklab-dir/trace.jsonl: cannot write the file: cannot create a temporary file "
                                    + "in /nonexistent-stacklab-dir: No such file or directory"))
    }

    /// A write that fails (here the file-size limit, as a full disk would) is exit 2 and leaves
    /// the old file as it was, byte for byte, and no temporary file. Runs the real binary, with
    /// `ulimit -f` and SIGXFSZ ignored so the write fails with EFBIG instead of killing it.
    @Test(.enabled(if: Executable.binary != nil, "the stacklab binary was not found"))
    func aFailedWriteLeavesTheOldFileByteIdentical() throws {
        let binary = try #require(Executable.binary)
        let folder = try Self.directory("failed-write")
        let path = folder.appendingPathComponent("trace.jsonl").path
        let old = Data("the old trace, kept\n".utf8)
        try old.write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "trap '' XFSZ; ulimit -f 4; exec \"$0\" run bulk-transfer --trace \"$1\"", binary.path, path]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(stderr.contains("\(path): cannot write the file: File too large"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == old)
        #expect(Self.strays(in: folder, besides: ["trace.jsonl"]).isEmpty)
    }
}
