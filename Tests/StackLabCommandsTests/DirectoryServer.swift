import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.0 server on 127.0.0.1 for the files of one directory, which writes down every
/// request it gets: a page served from a directory that holds nothing else shows whether the
/// browser asks for anything more (a font, a script, an icon). One thread, one connection at a
/// time, `Connection: close`; `stop()` ends it.
final class DirectoryServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let directory: URL
    private let lock = NSLock()
    private var seen: [String] = []

    /// The request lines so far (`GET /teardown.html`), in order.
    var requests: [String] {
        lock.lock()
        defer { lock.unlock() }
        return seen
    }

    init(serving directory: URL) throws {
        self.directory = directory
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard descriptor >= 0, bound == 0, listen(descriptor, 16) == 0 else {
            if descriptor >= 0 { close(descriptor) }
            throw HeadlessChromium.Failure(description: "cannot listen on 127.0.0.1")
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        listener = descriptor
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in serve() }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            answer(connection)
            close(connection)
        }
    }

    /// Reads the request head (with a 5 s limit), writes it down, and sends the file or a 404.
    private func answer(_ connection: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var head: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: head, as: UTF8.self).contains("\r\n\r\n") {
            let n = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            head += chunk[..<n]
            if head.count > 65_536 { break }
        }
        let requestLine = String(decoding: head, as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? ""
        guard !requestLine.isEmpty else { return }   // a connection opened ahead and never used
        let words = requestLine.split(separator: " ")
        lock.lock()
        seen.append(words.prefix(2).joined(separator: " "))
        lock.unlock()
        let name = words.count > 1 ? String(words[1].dropFirst()) : ""
        let file = directory.appendingPathComponent(name)
        let body: Data
        let status: String
        if !name.isEmpty, !name.contains("/"), !name.hasPrefix("."), let data = try? Data(contentsOf: file) {
            (status, body) = ("200 OK", data)
        } else {
            (status, body) = ("404 Not Found", Data("not here\n".utf8))
        }
        let type = name.hasSuffix(".html") ? "text/html; charset=utf-8" : "text/plain"
        var response = Data("HTTP/1.0 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\n".utf8)
        response += Data("Connection: close\r\n\r\n".utf8) + body
        response.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let n = send(connection, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                guard n > 0 else { return }
                sent += n
            }
        }
    }
}
