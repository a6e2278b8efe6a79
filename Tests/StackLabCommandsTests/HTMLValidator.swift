import Foundation

/// An HTML5 validator from outside StackLab: html5lib (Python), which parses exactly as the
/// HTML standard says and, in strict mode, stops at the first parse error (a stray end tag, a
/// bad attribute, an unescaped `<` where it matters, a missing doctype...).
enum HTMLValidator {
    /// A Python 3 that can import html5lib, if there is one.
    static let python: String? = ["/usr/bin/env python3", "/usr/bin/python3", "/usr/local/bin/python3"].first {
        command in
        let arguments = command.split(separator: " ").map(String.init) + ["-c", "import html5lib"]
        return (try? run(arguments, input: nil).status) == 0
    }

    static var available: Bool { python != nil }

    static let script = """
        import sys, html5lib
        try:
            html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(sys.stdin.buffer.read())
        except Exception as error:
            print(error)
            sys.exit(1)
        """

    /// nil when `html` parses with no error, else the first error.
    static func firstError(in html: String) throws -> String? {
        guard let python else { return "html5lib is not installed" }
        let result = try run(python.split(separator: " ").map(String.init) + ["-c", script], input: Data(html.utf8))
        return result.status == 0 ? nil : result.output.isEmpty ? "exit status \(result.status)" : result.output
    }

    static func run(_ arguments: [String], input: Data?) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let output = Pipe(), inputPipe = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        if let input {
            // Written from another thread: a large page would otherwise fill both pipes at once.
            let handle = inputPipe.fileHandleForWriting
            Thread.detachNewThread {
                handle.write(input)
                try? handle.close()
            }
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }
}
