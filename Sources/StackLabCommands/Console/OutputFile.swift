#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way StackLab writes an output file (`-o`, `--trace`, `--pcap`, `--pcapng`, `--svg`):
///
/// - The bytes go to a temporary file in the target's directory (`.NAME.stacklab-XXXXXX`), which
///   is flushed to disk and then renamed over the target, so the target holds either its old
///   content or all of the new, never a part.
/// - Only a regular file is replaced. A directory, a device (`/dev/full`, `/dev/null`), a pipe or
///   a socket is refused, untouched.
/// - A symbolic link is followed (to any depth) to the regular file it names, and that file is
///   replaced; the link stays a link. A link whose target does not exist is refused: StackLab
///   does not create files where a link points.
/// - A replaced file keeps its mode (permission bits) and, where the writer may set them, its
///   owner and group. A new file gets 0666 less the umask, like any other tool's output.
/// - Any failure (no such directory, permission, a full disk) removes the temporary file and is
///   an error with exit status 2 that names the path; the target is left as it was.
enum OutputFile {
    /// Writes `bytes` to `path` following the rules above.
    static func write(_ bytes: [UInt8], to path: String) throws(CommandFailure) {
        let target = try resolve(path)
        let directory = Self.directory(of: target)
        let base = target.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? target
        var template = Array("\(directory)/.\(base).stacklab-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw failure(path, "cannot write the file: cannot create a temporary file in \(directory)", errno)
        }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var finished = false
        defer {
            if !finished { unlink(temporary) }
        }
        do throws(CommandFailure) {
            try writeAll(bytes, to: descriptor, path: path)
            try keepAttributes(of: target, on: descriptor, path: path)
            guard fsync(descriptor) == 0 else { throw failure(path, "cannot write the file", errno) }
        } catch {
            close(descriptor)
            throw error
        }
        guard close(descriptor) == 0 else { throw failure(path, "cannot write the file", errno) }
        guard rename(temporary, target) == 0 else { throw failure(path, "cannot replace the file", errno) }
        finished = true
    }

    /// The regular file (existing or not) that writing `path` replaces or creates: `path`
    /// itself, or the end of its chain of symbolic links. Refuses anything else.
    static func resolve(_ path: String) throws(CommandFailure) -> String {
        guard !path.isEmpty else { throw CommandFailure("an output file needs a name") }
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0 else {
                let error = errno
                guard error == ENOENT else { throw failure(path, "cannot inspect the file", error) }
                if current != path {
                    throw CommandFailure("\(path): a symbolic link to \(current), which does not exist; "
                                         + "StackLab writes through a link only to an existing regular file")
                }
                return current
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                return current
            case S_IFLNK:
                current = try linkTarget(current, path: path)
            default:
                throw CommandFailure("\(path): \(kind(info.st_mode)), not a regular file; StackLab writes only "
                                     + "regular files (write to a file and copy it there)")
            }
        }
        throw CommandFailure("\(path): too many levels of symbolic links")
    }

    /// Where the link at `link` points, relative to the link's directory as the kernel reads it.
    private static func linkTarget(_ link: String, path: String) throws(CommandFailure) -> String {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink(link, &buffer, 4096)
        guard count >= 0 else { throw failure(path, "cannot read the symbolic link \(link)", errno) }
        let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if target.hasPrefix("/") { return target }
        return directory(of: link) + "/" + target
    }

    /// The directory part of `path` (`.` when it has none).
    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let head = String(path[..<slash])
        return head.isEmpty ? "/" : head
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(CommandFailure) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure(path, "cannot write the file", errno)
            }
            offset += written
        }
    }

    /// Gives the temporary file the existing target's mode, owner and group, or for a new file
    /// 0666 less the umask (mkstemp makes it 0600).
    private static func keepAttributes(of target: String, on descriptor: Int32, path: String) throws(CommandFailure) {
        var info = stat()
        if stat(target, &info) == 0 {
            // Only root may give a file away; for anyone else the owner stays the writer.
            _ = fchown(descriptor, info.st_uid, info.st_gid)
            guard fchmod(descriptor, info.st_mode & 0o7777) == 0 else {
                throw failure(path, "cannot keep the file's mode", errno)
            }
        } else {
            let mask = umask(0o022)
            umask(mask)
            guard fchmod(descriptor, 0o666 & ~mask) == 0 else { throw failure(path, "cannot set the file's mode", errno) }
        }
    }

    #if canImport(Glibc)
    private static let systemWrite = Glibc.write
    #else
    private static let systemWrite = Darwin.write
    #endif

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a named pipe"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }

    private static func failure(_ path: String, _ what: String, _ code: Int32) -> CommandFailure {
        CommandFailure("\(path): \(what): \(String(cString: strerror(code)))")
    }
}
