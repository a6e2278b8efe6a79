import Foundation
import Tracing

/// File input and output for `stacklab run`: scenario files in, trace and pcap files out.
/// Every failure becomes a `CommandFailure` with exit status 2 that names the file.
enum ScenarioFiles {
    /// Scenario files larger than this are refused unread.
    static let maximumScenarioSize = 1 << 20

    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Reads and parses a scenario file; syntax errors read `FILE:LINE:COLUMN: message`.
    static func readScenario(at path: String) throws -> Scenario {
        let bytes = try read(path, limit: maximumScenarioSize)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CommandFailure("\(path): not UTF-8 text")
        }
        do {
            return try ScenarioLanguage.parse(text, file: path)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// A file's bytes, refusing files over `limit` bytes.
    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CommandFailure("\(path): cannot open the file")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw CommandFailure("\(path): cannot read the file (\(error.localizedDescription))")
        }
        guard data.count <= limit else { throw CommandFailure("\(path): larger than \(limit) bytes") }
        return [UInt8](data)
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure("\(path): cannot write the file (\(error.localizedDescription))")
        }
    }
}
