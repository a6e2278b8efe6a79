import Glibc
import Wire

// Every call into the C library that touches the kernel lives in this file, so the rest of the
// module reads as Swift, every failure is a typed `SyscallError`, and every descriptor that is
// created or closed passes through `OpenDescriptors` (the process-wide count the tests check).

/// A system call that failed: which call, and the C `errno` it left.
public struct SyscallError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The C call and what it was doing, e.g. `"bind(127.0.0.2:80)"`.
    public var call: String
    /// The C `errno` value, e.g. `EADDRINUSE`.
    public var code: Int32

    public init(call: String, code: Int32) {
        self.call = call
        self.code = code
    }

    public var description: String { "\(call): \(String(cString: strerror(code))) (errno \(code))" }
}

/// Constants that Glibc's Swift module leaves out (they live in Linux headers it does not include,
/// or are macros Swift cannot import), each with its C name.
enum LinuxConstant {
    /// `AF_PACKET`: packet sockets, packet(7).
    static let addressFamilyPacket: Int32 = 17
    /// `ETH_P_ALL`: every protocol, outgoing packets included.
    static let ethernetProtocolAll: UInt16 = 0x0003
    /// `ETH_P_IP`: IPv4.
    static let ethernetProtocolIPv4: UInt16 = 0x0800
    /// `SOL_PACKET`.
    static let levelPacket: Int32 = 263
    /// `PACKET_STATISTICS`: `struct tpacket_stats { tp_packets, tp_drops }`.
    static let packetStatistics: Int32 = 6
    /// `PACKET_HOST`: addressed to this host.
    static let packetHost: UInt8 = 0
    /// `PACKET_OUTGOING`: sent by this host (looped back to packet sockets).
    static let packetOutgoing: UInt8 = 4
    /// `SO_ATTACH_FILTER`.
    static let attachFilter: Int32 = 26
    /// `SO_TIMESTAMPNS` (`SO_TIMESTAMPNS_OLD`, a `struct timespec` with 64-bit fields); also the
    /// control message type `SCM_TIMESTAMPNS`.
    static let timestampNanoseconds: Int32 = 35
    /// `TCP_QUICKACK` (tcp(7)).
    static let tcpQuickACK: Int32 = 12
    /// `IP_RECVERR`: queue ICMP errors on the socket's error queue.
    static let ipReceiveErrors: Int32 = 11
    /// `MSG_ERRQUEUE`.
    static let messageErrorQueue: Int32 = 0x2000
    /// `MSG_NOSIGNAL`: a write to a reset connection fails with `EPIPE` instead of raising `SIGPIPE`.
    static let messageNoSignal: Int32 = 0x4000
    /// `MSG_TRUNC`: report the full length of a datagram longer than the buffer.
    static let messageTruncate: Int32 = 0x20
    /// `SO_EE_ORIGIN_ICMP`: the queued error came from an ICMP message.
    static let errorOriginICMP: UInt8 = 2
    /// `TCP_INFO`.
    static let tcpInfo: Int32 = 11
    /// `TCP_KEEPIDLE`, `TCP_KEEPINTVL`, `TCP_KEEPCNT`: keepalive timings, in seconds and probes.
    static let tcpKeepIdle: Int32 = 4
    static let tcpKeepInterval: Int32 = 5
    static let tcpKeepCount: Int32 = 6
}

/// The result of reading a stream socket.
enum StreamRead {
    case bytes([UInt8])
    /// `read()` returned 0: the peer's FIN arrived and everything before it has been read.
    case endOfStream
    /// `EAGAIN`: nothing to read now.
    case wouldBlock
}

/// A packet read from a packet socket.
struct RawPacket {
    var bytes: [UInt8]
    /// `sll_pkttype`: `PACKET_HOST`, `PACKET_OUTGOING`, ...
    var packetType: UInt8
    /// The kernel's `SCM_TIMESTAMPNS` stamp, nanoseconds since the Unix epoch (`CLOCK_REALTIME`).
    var realtimeNanoseconds: Int64?
}

/// An error read from a socket's error queue (`IP_RECVERR`, `MSG_ERRQUEUE`).
struct QueuedSocketError {
    /// `ee_errno`, e.g. `ECONNREFUSED` for ICMP port unreachable.
    var code: Int32
    /// `ee_origin`, `ee_type`, `ee_code`: for ICMP, the message's type and code.
    var origin: UInt8
    var icmpType: UInt8
    var icmpCode: UInt8
    /// Where the datagram that caused the error was going (the error's `msg_name`).
    var destination: IPv4Address
    var destinationPort: UInt16
}

/// The C calls, wrapped: each returns a Swift value or throws `SyscallError` with `errno`.
enum Syscall {
    // MARK: - Creating and closing descriptors

    /// `socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)`.
    static func streamSocket() throws(SyscallError) -> Int32 {
        try created(socket(AF_INET, socketType(SOCK_STREAM), 0), "socket(SOCK_STREAM)")
    }

    /// `socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)`.
    static func datagramSocket() throws(SyscallError) -> Int32 {
        try created(socket(AF_INET, socketType(SOCK_DGRAM), 0), "socket(SOCK_DGRAM)")
    }

    /// `socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)`: protocol 0 receives
    /// nothing until `bindPacket` names a protocol, so no packet slips in before the filter.
    static func packetSocket() throws(SyscallError) -> Int32 {
        try created(socket(LinuxConstant.addressFamilyPacket, socketType(SOCK_DGRAM), 0), "socket(AF_PACKET)")
    }

    /// `pipe()` with both ends made non-blocking and close-on-exec with `fcntl(2)`.
    static func pipe() throws(SyscallError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard Glibc.pipe(&ends) == 0 else { throw SyscallError(call: "pipe", code: errno) }
        OpenDescriptors.opened(2)
        for end in ends {
            guard fcntl(end, F_SETFL, O_NONBLOCK) == 0, fcntl(end, F_SETFD, FD_CLOEXEC) == 0 else {
                let code = errno
                close(ends[0])
                close(ends[1])
                throw SyscallError(call: "fcntl(pipe)", code: code)
            }
        }
        return (ends[0], ends[1])
    }

    /// `close(2)`. Linux releases the descriptor even when close reports an error, so there is
    /// nothing to retry and the error is dropped.
    static func close(_ descriptor: Int32) {
        guard descriptor >= 0 else { return }
        _ = Glibc.close(descriptor)
        OpenDescriptors.closed()
    }

    /// Reads a whole file with `open(2)`, `read(2)` and `close(2)`: for `/proc/net/tcp`, whose size
    /// `stat` reports as zero.
    static func readFile(_ path: String) throws(SyscallError) -> [UInt8] {
        let descriptor = try created(open(path, O_RDONLY | O_CLOEXEC), "open(\(path))")
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SyscallError(call: "read(\(path))", code: errno)
            }
            if count == 0 { return contents }
            contents += chunk[0..<count]
        }
    }

    // MARK: - Addresses and connections

    /// `bind(2)` to an IPv4 address and port (0 lets the kernel pick an ephemeral port).
    static func bind(_ descriptor: Int32, address: IPv4Address, port: UInt16) throws(SyscallError) {
        var socketAddress = internetAddress(address, port)
        let result = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw SyscallError(call: "bind(\(address):\(port))", code: errno) }
    }

    /// The port a socket is bound to: `getsockname(2)`.
    static func localPort(_ descriptor: Int32) throws(SyscallError) -> UInt16 {
        var socketAddress = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0 else { throw SyscallError(call: "getsockname", code: errno) }
        return UInt16(bigEndian: socketAddress.sin_port)
    }

    /// `listen(2)`.
    static func listen(_ descriptor: Int32, backlog: Int) throws(SyscallError) {
        guard Glibc.listen(descriptor, Int32(clamping: backlog)) == 0 else {
            throw SyscallError(call: "listen", code: errno)
        }
    }

    /// `accept(2)`, then non-blocking and close-on-exec with `fcntl(2)`; nil when no connection
    /// is waiting (`EAGAIN`).
    static func accept(
        _ descriptor: Int32
    ) throws(SyscallError) -> (descriptor: Int32, address: IPv4Address, port: UInt16)? {
        var socketAddress = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let accepted = withUnsafeMutablePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(descriptor, $0, &length) }
        }
        if accepted < 0 {
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return nil }
            throw SyscallError(call: "accept", code: code)
        }
        OpenDescriptors.opened()
        guard fcntl(accepted, F_SETFL, O_NONBLOCK) == 0, fcntl(accepted, F_SETFD, FD_CLOEXEC) == 0 else {
            let code = errno
            close(accepted)
            throw SyscallError(call: "fcntl(accepted)", code: code)
        }
        let address = IPv4Address(UInt32(bigEndian: socketAddress.sin_addr.s_addr))
        return (accepted, address, UInt16(bigEndian: socketAddress.sin_port))
    }

    /// Non-blocking `connect(2)`: true when connected at once, false when in progress
    /// (`EINPROGRESS`; completion shows as writable in `poll`).
    static func connect(_ descriptor: Int32, address: IPv4Address, port: UInt16) throws(SyscallError) -> Bool {
        var socketAddress = internetAddress(address, port)
        let result = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result == 0 { return true }
        let code = errno
        if code == EINPROGRESS || code == EINTR { return false }
        throw SyscallError(call: "connect(\(address):\(port))", code: code)
    }

    /// The socket's pending error, cleared by reading it: `getsockopt(SO_ERROR)`.
    static func pendingError(_ descriptor: Int32) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &value, &length) == 0 else { return errno }
        return value
    }

    // MARK: - Stream input and output

    /// `read(2)` of at most `maxBytes`.
    static func receive(_ descriptor: Int32, maxBytes: Int) throws(SyscallError) -> StreamRead {
        var buffer = [UInt8](repeating: 0, count: maxBytes)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count > 0 { return .bytes(Array(buffer[0..<count])) }
        if count == 0 { return .endOfStream }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return .wouldBlock }
        throw SyscallError(call: "read", code: code)
    }

    /// `send(2)` with `MSG_NOSIGNAL`: how many bytes the kernel took, or nil when its send buffer
    /// is full (`EAGAIN`).
    static func send(_ descriptor: Int32, _ bytes: ArraySlice<UInt8>) throws(SyscallError) -> Int? {
        let count = bytes.withUnsafeBytes {
            Glibc.send(descriptor, $0.baseAddress, $0.count, LinuxConstant.messageNoSignal)
        }
        if count >= 0 { return count }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return nil }
        throw SyscallError(call: "send", code: code)
    }

    /// `shutdown(SHUT_WR)`: the kernel sends FIN after the data already in its send buffer.
    static func shutdownWrite(_ descriptor: Int32) throws(SyscallError) {
        guard shutdown(descriptor, Int32(SHUT_WR)) == 0 else {
            throw SyscallError(call: "shutdown(SHUT_WR)", code: errno)
        }
    }

    // MARK: - Options

    /// `setsockopt(2)` with an `int` value.
    static func setOption(
        _ descriptor: Int32, level: Int32, name: Int32, value: Int32, _ label: String
    ) throws(SyscallError) {
        var value = value
        guard setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SyscallError(call: "setsockopt(\(label))", code: errno)
        }
    }

    /// `SO_REUSEADDR`: bind a port whose old connections are still in TIME-WAIT.
    static func setReuseAddress(_ descriptor: Int32) throws(SyscallError) {
        try setOption(descriptor, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1, "SO_REUSEADDR")
    }

    /// `SO_KEEPALIVE` on with `TCP_KEEPIDLE`, `TCP_KEEPINTVL` and `TCP_KEEPCNT` (whole seconds, at
    /// least 1, as tcp(7) requires), or off with nil.
    static func setKeepalive(
        _ descriptor: Int32, idleSeconds: Int32, intervalSeconds: Int32, probes: Int32
    ) throws(SyscallError) {
        let tcp = Int32(IPPROTO_TCP)
        try setOption(descriptor, level: tcp, name: LinuxConstant.tcpKeepIdle, value: idleSeconds, "TCP_KEEPIDLE")
        try setOption(descriptor, level: tcp, name: LinuxConstant.tcpKeepInterval, value: intervalSeconds, "TCP_KEEPINTVL")
        try setOption(descriptor, level: tcp, name: LinuxConstant.tcpKeepCount, value: probes, "TCP_KEEPCNT")
        try setOption(descriptor, level: SOL_SOCKET, name: SO_KEEPALIVE, value: 1, "SO_KEEPALIVE")
    }

    /// `SO_KEEPALIVE` off.
    static func clearKeepalive(_ descriptor: Int32) throws(SyscallError) {
        try setOption(descriptor, level: SOL_SOCKET, name: SO_KEEPALIVE, value: 0, "SO_KEEPALIVE")
    }

    /// `SO_LINGER` with `l_onoff = 1, l_linger = 0`: `close` then sends RST and discards queued data.
    static func setLingerAbort(_ descriptor: Int32) throws(SyscallError) {
        var value = linger(l_onoff: 1, l_linger: 0)
        guard setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size)) == 0 else {
            throw SyscallError(call: "setsockopt(SO_LINGER)", code: errno)
        }
    }

    /// `getsockopt(IPPROTO_TCP, TCP_INFO)` into a buffer as large as the kernel's `struct tcp_info`
    /// may be; returns the bytes the kernel filled (older kernels fill fewer).
    static func tcpInfo(_ descriptor: Int32) throws(SyscallError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 256)
        var length = socklen_t(buffer.count)
        let result = buffer.withUnsafeMutableBytes {
            getsockopt(descriptor, Int32(IPPROTO_TCP), LinuxConstant.tcpInfo, $0.baseAddress, &length)
        }
        guard result == 0 else { throw SyscallError(call: "getsockopt(TCP_INFO)", code: errno) }
        return Array(buffer.prefix(Int(length)))
    }

    // MARK: - Datagrams

    /// `sendto(2)`: false when the send buffer is full (`EAGAIN`).
    static func sendTo(
        _ descriptor: Int32, _ bytes: [UInt8], address: IPv4Address, port: UInt16
    ) throws(SyscallError) -> Bool {
        var socketAddress = internetAddress(address, port)
        let count = withUnsafePointer(to: &socketAddress) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                bytes.withUnsafeBytes {
                    sendto(descriptor, $0.baseAddress, $0.count, LinuxConstant.messageNoSignal, target,
                           socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        if count >= 0 { return true }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return false }
        throw SyscallError(call: "sendto(\(address):\(port))", code: code)
    }

    /// `recvfrom(2)`: one datagram and its sender, or nil when none is waiting.
    static func receiveFrom(
        _ descriptor: Int32
    ) throws(SyscallError) -> (bytes: [UInt8], address: IPv4Address, port: UInt16)? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var socketAddress = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = withUnsafeMutablePointer(to: &socketAddress) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { source in
                buffer.withUnsafeMutableBytes { recvfrom(descriptor, $0.baseAddress, $0.count, 0, source, &length) }
            }
        }
        if count < 0 {
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return nil }
            throw SyscallError(call: "recvfrom", code: code)
        }
        let address = IPv4Address(UInt32(bigEndian: socketAddress.sin_addr.s_addr))
        return (Array(buffer[0..<count]), address, UInt16(bigEndian: socketAddress.sin_port))
    }

    /// `recvmsg(2)` with `MSG_ERRQUEUE`: the oldest queued error, or nil when the queue is empty.
    ///
    /// The control message (`SOL_IP`, `IP_RECVERR`) holds `struct sock_extended_err`: `ee_errno`
    /// (u32), `ee_origin`, `ee_type`, `ee_code`, `ee_pad` (u8 each), `ee_info`, `ee_data` (u32).
    static func receiveQueuedError(_ descriptor: Int32) throws(SyscallError) -> QueuedSocketError? {
        var data = [UInt8](repeating: 0, count: 2048)
        var name = sockaddr_in()
        var control = [UInt8](repeating: 0, count: 512)
        var controlLength = 0
        let count = data.withUnsafeMutableBytes { dataBytes in
            control.withUnsafeMutableBytes { controlBytes in
                withUnsafeMutablePointer(to: &name) { namePointer in
                    var vector = iovec(iov_base: dataBytes.baseAddress, iov_len: dataBytes.count)
                    return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                        var message = msghdr(
                            msg_name: UnsafeMutableRawPointer(namePointer),
                            msg_namelen: socklen_t(MemoryLayout<sockaddr_in>.size),
                            msg_iov: vectorPointer, msg_iovlen: 1, msg_control: controlBytes.baseAddress,
                            msg_controllen: controlBytes.count, msg_flags: 0)
                        let received = recvmsg(descriptor, &message, LinuxConstant.messageErrorQueue)
                        controlLength = message.msg_controllen
                        return received
                    }
                }
            }
        }
        if count < 0 {
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return nil }
            throw SyscallError(call: "recvmsg(MSG_ERRQUEUE)", code: code)
        }
        let destination = IPv4Address(UInt32(bigEndian: name.sin_addr.s_addr))
        let port = UInt16(bigEndian: name.sin_port)
        for message in controlMessages(control, length: controlLength)
        where message.level == SOL_IP && message.type == LinuxConstant.ipReceiveErrors && message.data.count >= 16 {
            let d = message.data
            let code = Int32(bitPattern: UInt32(d[0]) | UInt32(d[1]) << 8 | UInt32(d[2]) << 16 | UInt32(d[3]) << 24)
            return QueuedSocketError(code: code, origin: d[4], icmpType: d[5], icmpCode: d[6],
                                     destination: destination, destinationPort: port)
        }
        return QueuedSocketError(code: 0, origin: 0, icmpType: 0, icmpCode: 0, destination: destination,
                                 destinationPort: port)
    }

    // MARK: - Packet capture

    /// `if_nametoindex(3)`.
    static func interfaceIndex(_ name: String) throws(SyscallError) -> Int32 {
        let index = if_nametoindex(name)
        guard index != 0 else { throw SyscallError(call: "if_nametoindex(\(name))", code: errno) }
        return Int32(index)
    }

    /// `bind(2)` of a packet socket to one interface and protocol: a `struct sockaddr_ll` of 20
    /// octets (`sll_family` u16, `sll_protocol` u16 big-endian, `sll_ifindex` i32, then
    /// `sll_hatype`, `sll_pkttype`, `sll_halen`, `sll_addr[8]`, all zero here).
    static func bindPacket(_ descriptor: Int32, interfaceIndex: Int32, protocol: UInt16) throws(SyscallError) {
        var address = [UInt8](repeating: 0, count: 20)
        address.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: UInt16(LinuxConstant.addressFamilyPacket), toByteOffset: 0, as: UInt16.self)
            raw.storeBytes(of: `protocol`.bigEndian, toByteOffset: 2, as: UInt16.self)
            raw.storeBytes(of: interfaceIndex, toByteOffset: 4, as: Int32.self)
        }
        let result = address.withUnsafeBytes {
            Glibc.bind(descriptor, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t($0.count))
        }
        guard result == 0 else { throw SyscallError(call: "bind(AF_PACKET)", code: errno) }
    }

    /// `setsockopt(SO_ATTACH_FILTER)` with a `struct sock_fprog` (`len` u16 at 0, a pointer to the
    /// `struct sock_filter` array at 8) over instructions of 8 octets (`code` u16, `jt` u8,
    /// `jf` u8, `k` u32, in host order). Attaching again replaces the filter atomically.
    static func attachFilter(_ descriptor: Int32, _ program: [BPFInstruction]) throws(SyscallError) {
        var instructions = [UInt8](repeating: 0, count: program.count * 8)
        instructions.withUnsafeMutableBytes { raw in
            for (index, instruction) in program.enumerated() {
                raw.storeBytes(of: instruction.code, toByteOffset: index * 8, as: UInt16.self)
                raw.storeBytes(of: instruction.jumpIfTrue, toByteOffset: index * 8 + 2, as: UInt8.self)
                raw.storeBytes(of: instruction.jumpIfFalse, toByteOffset: index * 8 + 3, as: UInt8.self)
                raw.storeBytes(of: instruction.k, toByteOffset: index * 8 + 4, as: UInt32.self)
            }
        }
        let result = instructions.withUnsafeMutableBytes { filter in
            var program = [UInt8](repeating: 0, count: 16)
            program.withUnsafeMutableBytes { raw in
                raw.storeBytes(of: UInt16(truncatingIfNeeded: filter.count / 8), toByteOffset: 0, as: UInt16.self)
                raw.storeBytes(of: filter.baseAddress, toByteOffset: 8, as: UnsafeMutableRawPointer?.self)
            }
            return program.withUnsafeBytes {
                setsockopt(descriptor, SOL_SOCKET, LinuxConstant.attachFilter, $0.baseAddress, socklen_t($0.count))
            }
        }
        guard result == 0 else { throw SyscallError(call: "setsockopt(SO_ATTACH_FILTER)", code: errno) }
    }

    /// `recvmsg(2)` on a packet socket: the packet, its `sll_pkttype` (from the `sockaddr_ll` in
    /// `msg_name`, octet 10) and its `SCM_TIMESTAMPNS` stamp; nil when nothing is waiting.
    static func receivePacket(_ descriptor: Int32) throws(SyscallError) -> RawPacket? {
        var data = [UInt8](repeating: 0, count: 65536)
        var name = [UInt8](repeating: 0, count: 20)
        var control = [UInt8](repeating: 0, count: 256)
        var controlLength = 0
        let count = data.withUnsafeMutableBytes { dataBytes in
            control.withUnsafeMutableBytes { controlBytes in
                name.withUnsafeMutableBytes { nameBytes in
                    var vector = iovec(iov_base: dataBytes.baseAddress, iov_len: dataBytes.count)
                    return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                        var message = msghdr(
                            msg_name: nameBytes.baseAddress, msg_namelen: socklen_t(nameBytes.count),
                            msg_iov: vectorPointer, msg_iovlen: 1, msg_control: controlBytes.baseAddress,
                            msg_controllen: controlBytes.count, msg_flags: 0)
                        let received = recvmsg(descriptor, &message, 0)
                        controlLength = message.msg_controllen
                        return received
                    }
                }
            }
        }
        if count < 0 {
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return nil }
            throw SyscallError(call: "recvmsg(AF_PACKET)", code: code)
        }
        var stamp: Int64?
        for message in controlMessages(control, length: controlLength)
        where message.level == SOL_SOCKET && message.type == LinuxConstant.timestampNanoseconds
            && message.data.count >= 16 {
            let seconds = message.data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: Int64.self) }
            let nanoseconds = message.data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: Int64.self) }
            stamp = seconds * 1_000_000_000 + nanoseconds
        }
        return RawPacket(bytes: Array(data[0..<count]), packetType: name[10], realtimeNanoseconds: stamp)
    }

    /// `getsockopt(SOL_PACKET, PACKET_STATISTICS)`: packets seen and dropped since the last call.
    static func packetStatistics(_ descriptor: Int32) throws(SyscallError) -> (packets: Int, drops: Int) {
        var statistics: (UInt32, UInt32) = (0, 0)
        var length = socklen_t(8)
        let result = withUnsafeMutablePointer(to: &statistics) {
            getsockopt(descriptor, LinuxConstant.levelPacket, LinuxConstant.packetStatistics, $0, &length)
        }
        guard result == 0 else { throw SyscallError(call: "getsockopt(PACKET_STATISTICS)", code: errno) }
        return (Int(statistics.0), Int(statistics.1))
    }

    // MARK: - Waiting and time

    /// `poll(2)`; an interrupted wait (`EINTR`) counts as a wait with nothing ready.
    static func poll(_ descriptors: inout [pollfd], timeoutMilliseconds: Int32) throws(SyscallError) -> Int {
        let result = descriptors.withUnsafeMutableBufferPointer {
            Glibc.poll($0.baseAddress, nfds_t($0.count), timeoutMilliseconds)
        }
        if result >= 0 { return Int(result) }
        if errno == EINTR { return 0 }
        throw SyscallError(call: "poll", code: errno)
    }

    /// `clock_gettime(CLOCK_MONOTONIC)` in nanoseconds.
    static func monotonicNanoseconds() -> Int64 { clock(CLOCK_MONOTONIC) }

    /// `clock_gettime(CLOCK_REALTIME)` in nanoseconds since the Unix epoch.
    static func realtimeNanoseconds() -> Int64 { clock(CLOCK_REALTIME) }

    private static func clock(_ id: clockid_t) -> Int64 {
        var time = timespec()
        clock_gettime(id, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    // MARK: - Signals

    /// Unblocks `signals` for the calling thread (`pthread_sigmask(SIG_UNBLOCK)`); returns the
    /// previous mask. A process can inherit a mask that blocks them (Foundation's `Process`
    /// spawns children so), and a blocked SIGTERM would never reach the relay.
    static func unblock(_ signals: [Int32]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        var previous = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &set, &previous)
        return previous
    }

    /// Puts back a signal mask `unblock` returned.
    static func restoreMask(_ mask: sigset_t) {
        var mask = mask
        pthread_sigmask(SIG_SETMASK, &mask, nil)
    }

    /// Installs `signalRelayHandler` for `signal` with `sigaction(2)`; returns the previous action.
    static func installRelayHandler(_ signal: Int32) throws(SyscallError) -> sigaction {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = signalRelayHandler
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        var previous = sigaction()
        guard sigaction(signal, &action, &previous) == 0 else {
            throw SyscallError(call: "sigaction(\(signal))", code: errno)
        }
        return previous
    }

    /// Puts back an action saved by `installRelayHandler`.
    static func restoreSignal(_ signal: Int32, _ previous: sigaction) {
        var previous = previous
        _ = sigaction(signal, &previous, nil)
    }

    /// `kill(getpid(), signal)`: to the process rather than the calling thread (`raise(3)`), since
    /// the loop may run on a thread that blocks signals, as Dispatch's worker threads do.
    static func signalProcess(_ signal: Int32) {
        _ = kill(getpid(), signal)
    }

    /// Empties a non-blocking pipe.
    static func drain(_ descriptor: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64)
        while buffer.withUnsafeMutableBytes({ read(descriptor, $0.baseAddress, $0.count) }) > 0 {}
    }

    // MARK: - Helpers

    private static func created(_ descriptor: Int32, _ call: String) throws(SyscallError) -> Int32 {
        guard descriptor >= 0 else { throw SyscallError(call: call, code: errno) }
        OpenDescriptors.opened()
        return descriptor
    }

    private static func socketType(_ type: __socket_type) -> Int32 {
        Int32(type.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    }

    private static func internetAddress(_ address: IPv4Address, _ port: UInt16) -> sockaddr_in {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        socketAddress.sin_addr = in_addr(s_addr: address.rawValue.bigEndian)
        return socketAddress
    }

    /// Walks the control messages of a `recvmsg` result (`CMSG_FIRSTHDR`/`CMSG_NXTHDR` by hand):
    /// each `struct cmsghdr` is `cmsg_len` (size_t), `cmsg_level`, `cmsg_type` (int), then data,
    /// the next one starting at the following multiple of 8.
    private static func controlMessages(
        _ control: [UInt8], length: Int
    ) -> [(level: Int32, type: Int32, data: [UInt8])] {
        var messages: [(level: Int32, type: Int32, data: [UInt8])] = []
        var offset = 0
        let end = min(length, control.count)
        while offset + 16 <= end {
            let (messageLength, level, type) = control.withUnsafeBytes {
                ($0.loadUnaligned(fromByteOffset: offset, as: Int.self),
                 $0.loadUnaligned(fromByteOffset: offset + 8, as: Int32.self),
                 $0.loadUnaligned(fromByteOffset: offset + 12, as: Int32.self))
            }
            guard messageLength >= 16, offset + messageLength <= end else { break }
            messages.append((level, type, Array(control[(offset + 16)..<(offset + messageLength)])))
            offset += (messageLength + 7) & ~7
        }
        return messages
    }
}

// MARK: - Signal relay (async-signal-safe part)

/// The write end of the signal relay's pipe, read by the handler. Set before the handler is
/// installed and cleared after it is removed, under `SignalRelay`'s lock.
nonisolated(unsafe) var signalRelayWriteDescriptor: Int32 = -1
/// Signals relayed so far; loops compare it with the value they saw when they started.
nonisolated(unsafe) var signalRelayCount: Int = 0
/// The most recent signal relayed.
nonisolated(unsafe) var signalRelayLastSignal: Int32 = 0

/// The signal handler: only async-signal-safe work (stores and one `write(2)` to the relay pipe),
/// which wakes every loop waiting in `poll`.
private func signalRelayHandler(_ signal: Int32) {
    let savedErrno = errno
    signalRelayLastSignal = signal
    signalRelayCount &+= 1
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(signalRelayWriteDescriptor, &byte, 1)
    errno = savedErrno
}
