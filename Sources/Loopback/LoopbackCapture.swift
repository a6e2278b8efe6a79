import Glibc
import Wire

/// A capture of the run's packets on the loopback interface `lo`.
///
/// The C calls: `socket(AF_PACKET, SOCK_DGRAM, 0)`; `setsockopt(SO_TIMESTAMPNS)` for kernel time
/// stamps; `SO_RCVBUF` raised so a burst fits; `setsockopt(SO_ATTACH_FILTER)` with the program of
/// `CaptureFilter`; then `bind` to `lo`'s index with `ETH_P_ALL`. `ETH_P_ALL` rather than
/// `ETH_P_IP` because only "all protocols" taps see outgoing packets; the filter keeps IPv4.
/// The socket is read without blocking, from the network's poll loop, with `recvmsg`, whose
/// `sockaddr_ll` tells the outgoing copy (`PACKET_OUTGOING`) from the incoming one (`PACKET_HOST`).
///
/// As the run binds sockets, their endpoints are added and the filter is attached again; it
/// replaces the old one atomically. A socket's port is known (bound) before it sends anything, so
/// no packet of the run is missed.
final class LoopbackCapture {
    let descriptor: Int32
    private(set) var endpoints: [CaptureEndpoint] = []
    /// Packets in the order they were read, which is the order they passed the tap.
    private var read: [CapturedPacket] = []
    /// Packets the kernel dropped because the socket's buffer was full (`PACKET_STATISTICS`).
    private(set) var kernelDrops = 0
    private var isOpen = true
    private let startMonotonic: Int64
    /// `CLOCK_REALTIME − CLOCK_MONOTONIC` when the capture started.
    private let realtimeOffset: Int64

    /// Opens the capture socket, registering its descriptor; `simulateDenied` fails as a process
    /// without `CAP_NET_RAW` does, before any system call.
    static func open(
        registry: DescriptorRegistry, startMonotonic: Int64, simulateDenied: Bool, bufferSize: Int
    ) -> Result<LoopbackCapture, CaptureUnavailableReason> {
        if simulateDenied { return .failure(.permissionDenied(simulated: true)) }
        let descriptor: Int32
        do {
            descriptor = try Syscall.packetSocket()
        } catch {
            if error.code == EPERM || error.code == EACCES { return .failure(.permissionDenied(simulated: false)) }
            return .failure(.failed(error))
        }
        registry.register(descriptor, label: "capture lo")
        do {
            try Syscall.setOption(descriptor, level: SOL_SOCKET, name: LinuxConstant.timestampNanoseconds, value: 1,
                                  "SO_TIMESTAMPNS")
            try Syscall.setOption(descriptor, level: SOL_SOCKET, name: SO_RCVBUF, value: Int32(clamping: bufferSize),
                                  "SO_RCVBUF")
            try Syscall.attachFilter(descriptor, CaptureFilter.program(for: []))
            let index = try Syscall.interfaceIndex("lo")
            try Syscall.bindPacket(descriptor, interfaceIndex: index, protocol: LinuxConstant.ethernetProtocolAll)
        } catch {
            registry.close(descriptor)
            return .failure(.failed(error))
        }
        return .success(LoopbackCapture(descriptor: descriptor, startMonotonic: startMonotonic))
    }

    private init(descriptor: Int32, startMonotonic: Int64) {
        self.descriptor = descriptor
        self.startMonotonic = startMonotonic
        realtimeOffset = Syscall.realtimeNanoseconds() - Syscall.monotonicNanoseconds()
    }

    /// Adds an endpoint to the filter (if new) and attaches the new program.
    func add(_ endpoint: CaptureEndpoint) throws(SyscallError) {
        guard isOpen, !endpoints.contains(endpoint) else { return }
        endpoints.append(endpoint)
        try Syscall.attachFilter(descriptor, CaptureFilter.program(for: endpoints))
    }

    /// The registry closed the descriptor: never touch its number again (it may be reused).
    func descriptorClosed() {
        isOpen = false
    }

    /// The packets read so far, with their stamps made to agree with the order they were read: a
    /// stamp later than that of a packet read after it is lowered to that one.
    ///
    /// A tap sees packets in the order they pass, but Linux TCP stamps a segment with its earliest
    /// departure time for pacing (EDT, `skb->tstamp`, since 4.20) and the tap reports that stamp,
    /// which can lie far in the future for a segment sent while the peer's window was closing;
    /// taken at face value it would move the segment after later ones.
    var packets: [CapturedPacket] {
        var result = read
        var limit = Int64.max
        for index in result.indices.reversed() {
            let lowered = min(result[index].time, limit)
            result[index].wallClockNanoseconds -= result[index].time - lowered
            result[index].time = lowered
            limit = lowered
        }
        return result
    }

    /// Reads every packet waiting on the socket.
    func readAvailable() {
        guard isOpen else { return }
        while let raw = try? Syscall.receivePacket(descriptor) {
            let direction: CaptureDirection
            switch raw.packetType {
            case LinuxConstant.packetOutgoing: direction = .sent
            case LinuxConstant.packetHost: direction = .received
            default: continue   // broadcast, multicast or another host's: not on lo
            }
            // Never later than now (see `packets`).
            let now = Syscall.realtimeNanoseconds()
            let wallClock = min(raw.realtimeNanoseconds ?? now, now)
            read.append(CapturedPacket(time: wallClock - realtimeOffset - startMonotonic,
                                          wallClockNanoseconds: wallClock, direction: direction, bytes: raw.bytes))
        }
        if let statistics = try? Syscall.packetStatistics(descriptor) { kernelDrops += statistics.drops }
    }
}
