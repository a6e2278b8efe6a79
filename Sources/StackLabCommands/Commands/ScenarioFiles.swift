import Foundation
import Tracing

/// File input and output for `stacklab run`: scenario files in, trace and pcap files out.
/// Every failure becomes a `CommandFailure` with exit status 2 that names the file.
enum ScenarioFiles {
    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Reads and parses a scenario file; syntax errors read `FILE:LINE:COLUMN: message`.
    static func readScenario(at path: String) throws -> Scenario {
        let bytes = try read(path, limit: InputLimits.scenarioFileSize, limitName: "scenario file size")
        let text: String
        switch TextDecoding.text(bytes) {
        case .success(let decoded): text = decoded
        case .failure(let invalid): throw CommandFailure("\(path):\(invalid)")
        }
        do {
            return try ScenarioLanguage.parse(text, file: path)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// A file's bytes, refusing files over `limit` bytes (the documented limit `limitName`).
    static func read(_ path: String, limit: Int, limitName: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let missing = !FileManager.default.fileExists(atPath: path)
            throw CommandFailure("\(path): " + (missing ? "no such file" : "cannot open the file"))
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw CommandFailure("\(path): cannot read the file (\(error.localizedDescription))")
        }
        guard data.count <= limit else {
            throw CommandFailure("\(path): larger than \(InputLimits.grouped(limit)) bytes, the limit \"\(limitName)\"")
        }
        return [UInt8](data)
    }

    /// Writes an output file the one safe way (`OutputFile`).
    static func write(_ bytes: [UInt8], to path: String) throws {
        try OutputFile.write(bytes, to: path)
    }
}
