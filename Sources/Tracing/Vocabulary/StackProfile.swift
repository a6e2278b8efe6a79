/// A named set of TCP settings that decides what the simulated stack sends; the one list of
/// profiles that the scenario language, the command line, lessons and the stack share.
///
/// `textbook` is the stack of the diagrams: MSS 1460 and no other option, an ACK for every
/// segment, MSL 30 s. `linux` behaves as the Linux kernel does on loopback, so that a replay
/// compares like with like: timestamps, SACK-permitted and window scale offered, MSS from the
/// MTU, MSS-aligned SYN windows, Linux's adaptive delayed ACK (quick ACKs at start and after idle,
/// ping-pong, the ACK of a FIN delayed so a close on end-of-file sends FIN,ACK), a 200 ms minimum
/// RTO and a 60 s TIME-WAIT.
/// `small-buffer` is `textbook` with 4380-octet buffers (three segments), so flow control and the
/// receive window show within a few segments (the invariant checker uses it for short counterexamples).
/// The settings themselves live with the stack (`Stack`'s `tcpConfiguration(mtu:)`).
public enum StackProfile: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    case textbook
    case linux
    case smallBuffer = "small-buffer"

    public var description: String { rawValue }

    /// Every profile's name, in order: `textbook, linux, small-buffer`.
    public static var names: [String] { allCases.map(\.rawValue) }
}
