// Loopback: StackLab's real runtime. The same socket API as the simulated stack (`Sockets`),
// carried out by the Linux kernel on 127.0.0.0/8, with a packet capture on `lo` so a run can be
// compared with the simulator's segment by segment. This is the only StackLab module that calls
// into Glibc, and all of those calls are in `Syscalls.swift`.
//
// The pieces:
// - `LoopbackNetwork`: hosts named after the scenario's, one address each (127.0.0.1, .2, …), one
//   `poll(2)` loop with a monotonic timer heap for all of them, `run(until:)` and `shutdown()`.
// - `LoopbackHost`: `SocketHost` over non-blocking TCP and UDP sockets bound to the host's address.
// - `LoopbackCapture` and `CaptureFilter`: an `AF_PACKET` socket on `lo` with a classic BPF program
//   that keeps the run's packets, both copies of each (sent and received), with kernel time stamps.
// - `TCPInfo`, `KernelStateChange`, `ProcNetTCP`: the kernel's view of each connection.
// - `LoopbackRunResult`: what a run yields (packets, state changes, port and address mapping,
//   capture status) and its pcap export; no Tracing types, the caller converts it.
//
// Deliberate simplifications:
// - IPv4 only, and only loopback addresses: a non-127/8 address is refused, so a run never sends
//   a packet off the machine.
// - A scenario port that is taken (or needs privileges) is replaced by an ephemeral port; the
//   mapping is recorded and connect/send targets are translated through it. A real port is never
//   translated back, so a peer sees (and echoes to) the real port.
// - `close` keeps the descriptor until the peer's FIN has arrived and the kernel reports CLOSED
//   (or `closeTimeout` passes), reading and discarding, so `closed` means the exchange is over as
//   on the simulated runtime; the active closer's TIME-WAIT then continues in the kernel without
//   a descriptor (seen in `/proc/net/tcp`), and is not waited for.
// - Kernel states are sampled with `TCP_INFO` after loop iterations, not traced: a state the
//   kernel passes through between two samples (often FIN-WAIT-1 on loopback) is not seen.
// - The capture filter assumes the packet quoted by an ICMP error has a 20-octet IPv4 header.
//   Checksums are not verified when parsing captured packets: `lo` offloads them.
// - Capture time stamps are the kernel's `CLOCK_REALTIME` stamps moved onto the network's
//   monotonic timeline by the offset measured at start; a wall-clock step during a run skews them.
// - No link faults: loss, delay, partitions and "link down" steps have no loopback equivalent.
//   With no delay, SYNs cannot cross: the built-in simultaneous-open scenario is refused (the
//   first SYN finds no socket and is answered with RST), which is what the kernel really does.
// - The signal relay is process-wide: one SIGINT or SIGTERM stops every loop that is running.
