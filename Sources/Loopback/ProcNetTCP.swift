import Wire

/// One line of `/proc/net/tcp`: a TCP socket of this network namespace, including the TIME-WAIT
/// mini-sockets that no descriptor holds.
public struct ProcNetTCPEntry: Hashable, Sendable, CustomStringConvertible {
    public var localAddress: IPv4Address
    public var localPort: UInt16
    public var remoteAddress: IPv4Address
    public var remotePort: UInt16
    /// The `st` column, the kernel's state number (`01` ESTABLISHED … `0B` CLOSING).
    public var rawState: UInt8

    public init(localAddress: IPv4Address, localPort: UInt16, remoteAddress: IPv4Address, remotePort: UInt16,
                rawState: UInt8) {
        self.localAddress = localAddress
        self.localPort = localPort
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
        self.rawState = rawState
    }

    public var state: KernelTCPState? { KernelTCPState(rawValue: rawState) }

    public var description: String {
        "\(localAddress):\(localPort) \(remoteAddress):\(remotePort) \(state?.description ?? "state \(rawState)")"
    }
}

/// Reads `/proc/net/tcp` (proc(5)).
///
/// Each line after the header is `sl local_address rem_address st ...`; an address is
/// `AAAAAAAA:PPPP` in hexadecimal, the address being the 32-bit word as it lies in memory (network
/// order) printed in host order, so `0100007F` is 127.0.0.1 on a little-endian machine, and the
/// port in host order (`0050` is 80).
public enum ProcNetTCP {
    /// Parses the file's text; lines that do not parse are skipped.
    public static func entries(in text: String) -> [ProcNetTCPEntry] {
        var entries: [ProcNetTCPEntry] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 4, let local = endpoint(fields[1]), let remote = endpoint(fields[2]),
                  let state = UInt8(fields[3], radix: 16) else { continue }
            entries.append(ProcNetTCPEntry(localAddress: local.0, localPort: local.1, remoteAddress: remote.0,
                                           remotePort: remote.1, rawState: state))
        }
        return entries
    }

    /// The current entries of `/proc/net/tcp`.
    public static func read() throws(SyscallError) -> [ProcNetTCPEntry] {
        let bytes = try Syscall.readFile("/proc/net/tcp")
        return entries(in: String(decoding: bytes, as: UTF8.self))
    }

    private static func endpoint(_ field: Substring) -> (IPv4Address, UInt16)? {
        let parts = field.split(separator: ":")
        guard parts.count == 2, parts[0].count == 8, let word = UInt32(parts[0], radix: 16),
              let port = UInt16(parts[1], radix: 16) else { return nil }
        return (IPv4Address(UInt32(bigEndian: word)), port)
    }
}
