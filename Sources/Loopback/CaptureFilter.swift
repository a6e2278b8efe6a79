import Wire

/// One classic BPF instruction, `struct sock_filter` in C (`linux/filter.h`).
public struct BPFInstruction: Hashable, Sendable, CustomStringConvertible {
    public var code: UInt16
    /// Instructions to skip when a conditional jump's test holds.
    public var jumpIfTrue: UInt8
    /// Instructions to skip when it does not.
    public var jumpIfFalse: UInt8
    public var k: UInt32

    public init(code: UInt16, jumpIfTrue: UInt8 = 0, jumpIfFalse: UInt8 = 0, k: UInt32) {
        self.code = code
        self.jumpIfTrue = jumpIfTrue
        self.jumpIfFalse = jumpIfFalse
        self.k = k
    }

    /// `{ 0x15, 0, 3, 0x00000006 }`, as `tcpdump -dd` prints instructions.
    public var description: String {
        "{ 0x\(String(code, radix: 16)), \(jumpIfTrue), \(jumpIfFalse), 0x\(String(k, radix: 16)) }"
    }

    // Opcode parts (classic BPF): class | size | mode, or class | operation | source.
    static let load: UInt16 = 0x00, loadX: UInt16 = 0x01, store: UInt16 = 0x02
    static let alu: UInt16 = 0x04, jump: UInt16 = 0x05, ret: UInt16 = 0x06
    static let word: UInt16 = 0x00, half: UInt16 = 0x08, byte: UInt16 = 0x10
    static let absolute: UInt16 = 0x20, indirect: UInt16 = 0x40, memory: UInt16 = 0x60, msh: UInt16 = 0xa0
    static let and: UInt16 = 0x50
    static let always: UInt16 = 0x00, equal: UInt16 = 0x10, set: UInt16 = 0x40
}

/// One socket of a run, as the capture filter matches it: protocol, address and port.
public struct CaptureEndpoint: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The IP protocol number: 6 for TCP, 17 for UDP.
    public var ipProtocol: UInt8
    public var address: IPv4Address
    public var port: UInt16

    public init(ipProtocol: UInt8, address: IPv4Address, port: UInt16) {
        self.ipProtocol = ipProtocol
        self.address = address
        self.port = port
    }

    public var description: String { "\(ipProtocol == 6 ? "tcp" : "udp") \(address):\(port)" }

    public static func < (lhs: CaptureEndpoint, rhs: CaptureEndpoint) -> Bool {
        (lhs.ipProtocol, lhs.address, lhs.port) < (rhs.ipProtocol, rhs.address, rhs.port)
    }
}

/// The classic BPF program that the capture socket runs in the kernel: it keeps the IPv4 TCP and
/// UDP packets to or from one of the run's endpoints, and the ICMP errors that quote one.
///
/// On a `SOCK_DGRAM` packet socket the filter sees the packet from its network header, so offsets
/// count from the first octet of the IPv4 header. The program, in `tcpdump -d` notation:
///
///     ld  [skb->protocol]          ; ancillary load SKF_AD_PROTOCOL (k = 0xfffff000)
///     jeq #0x800, next, drop       ; Ethernet type IPv4
///     ldb [0] ; and #0xf0          ; version nibble
///     jeq #0x40, next, drop
///     ldh [6] ; jset #0x1fff, drop ; a later fragment carries no ports
///     ldb [9]                      ; protocol
///     jeq #6, ports ; jeq #17, ports ; jeq #1, icmp, drop
///   drop:  ret #0
///   ports: st M[4]                 ; M[4] protocol, M[0] source, M[1] source port,
///          ld [12] ; st M[0]       ;   M[2] destination, M[3] destination port
///          ld [16] ; st M[2]
///          ldx 4*([0]&0xf)         ; X = IPv4 header length
///          ldh [x+0] ; st M[1] ; ldh [x+2] ; st M[3]
///          ja match
///   icmp:  ldx 4*([0]&0xf)
///          ldb [x+0]               ; ICMP type: 3 unreachable, 11 time exceeded, 12 parameter problem
///          jeq #3, quote ; jeq #11, quote ; jeq #12, quote, drop2
///   drop2: ret #0
///   quote: the same five values from the quoted packet after the 8-octet ICMP header, whose
///          IPv4 header is taken to be 20 octets (StackLab's and Linux's packets carry no options):
///          ldb [x+17] ; st M[4] ; ld [x+20] ; st M[0] ; ld [x+24] ; st M[2]
///          ldh [x+28] ; st M[1] ; ldh [x+30] ; st M[3]
///   match: for each endpoint (protocol p, address a, port n), twelve instructions:
///          ld M[4] ; jeq #p, 0, 10
///          ld M[0] ; jeq #a, 0, 3 ; ld M[1] ; jeq #n, 0, 1 ; ret #262144   ; from the endpoint
///          ld M[2] ; jeq #a, 0, 3 ; ld M[3] ; jeq #n, 0, 1 ; ret #262144   ; to the endpoint
///          ret #0
///
/// Every conditional jump is short (a jump's offset is one octet), so the program grows linearly
/// and holds up to about 340 endpoints within the kernel's 4096 instructions. A load past the end
/// of the packet makes the kernel return 0, dropping the packet.
public enum CaptureFilter {
    /// Bytes kept of each packet: all of it (loopback's MTU is 65536).
    public static let snapLength: UInt32 = 262_144

    /// The program for these endpoints; with none it drops everything.
    public static func program(for endpoints: [CaptureEndpoint]) -> [BPFInstruction] {
        var a = Assembler()
        a.loadAbsolute(BPFInstruction.word, 0xffff_f000)   // SKF_AD_OFF + SKF_AD_PROTOCOL
        a.jumpEqual(0x0800, whenFalse: "drop")
        a.loadAbsolute(BPFInstruction.byte, 0)
        a.emit(BPFInstruction.alu | BPFInstruction.and, k: 0xf0)
        a.jumpEqual(0x40, whenFalse: "drop")
        a.loadAbsolute(BPFInstruction.half, 6)
        a.jumpSet(0x1fff, whenTrue: "drop")
        a.loadAbsolute(BPFInstruction.byte, 9)
        a.jumpEqual(6, whenTrue: "ports")
        a.jumpEqual(17, whenTrue: "ports")
        a.jumpEqual(1, whenTrue: "icmp", whenFalse: "drop")
        a.label("drop")
        a.returnConstant(0)

        a.label("ports")
        a.storeMemory(4)
        a.loadAbsolute(BPFInstruction.word, 12)
        a.storeMemory(0)
        a.loadAbsolute(BPFInstruction.word, 16)
        a.storeMemory(2)
        a.loadHeaderLength()
        a.loadIndirect(BPFInstruction.half, 0)
        a.storeMemory(1)
        a.loadIndirect(BPFInstruction.half, 2)
        a.storeMemory(3)
        a.jumpAlways("match")

        a.label("icmp")
        a.loadHeaderLength()
        a.loadIndirect(BPFInstruction.byte, 0)
        a.jumpEqual(3, whenTrue: "quote")
        a.jumpEqual(11, whenTrue: "quote")
        a.jumpEqual(12, whenTrue: "quote", whenFalse: "drop2")
        a.label("drop2")
        a.returnConstant(0)
        a.label("quote")
        for (offset, size, slot) in [(17, BPFInstruction.byte, 4), (20, BPFInstruction.word, 0),
                                     (24, BPFInstruction.word, 2), (28, BPFInstruction.half, 1),
                                     (30, BPFInstruction.half, 3)] {
            a.loadIndirect(size, UInt32(offset))
            a.storeMemory(UInt32(slot))
        }

        a.label("match")
        for endpoint in endpoints.sorted() {
            a.loadMemory(4)
            a.emit(BPFInstruction.jump | BPFInstruction.equal, k: UInt32(endpoint.ipProtocol), jumpIfFalse: 10)
            for (addressSlot, portSlot) in [(UInt32(0), UInt32(1)), (2, 3)] {
                a.loadMemory(addressSlot)
                a.emit(BPFInstruction.jump | BPFInstruction.equal, k: endpoint.address.rawValue, jumpIfFalse: 3)
                a.loadMemory(portSlot)
                a.emit(BPFInstruction.jump | BPFInstruction.equal, k: UInt32(endpoint.port), jumpIfFalse: 1)
                a.returnConstant(snapLength)
            }
        }
        a.returnConstant(0)
        return a.assembled()
    }

    /// A small assembler: instructions with symbolic jump targets, resolved at the end.
    private struct Assembler {
        private var instructions: [BPFInstruction] = []
        private var labels: [String: Int] = [:]
        private var fixups: [(index: Int, whenTrue: String?, whenFalse: String?, always: String?)] = []

        mutating func emit(_ code: UInt16, k: UInt32, jumpIfTrue: UInt8 = 0, jumpIfFalse: UInt8 = 0) {
            instructions.append(BPFInstruction(code: code, jumpIfTrue: jumpIfTrue, jumpIfFalse: jumpIfFalse, k: k))
        }

        mutating func label(_ name: String) { labels[name] = instructions.count }

        mutating func loadAbsolute(_ size: UInt16, _ offset: UInt32) {
            emit(BPFInstruction.load | size | BPFInstruction.absolute, k: offset)
        }

        mutating func loadIndirect(_ size: UInt16, _ offset: UInt32) {
            emit(BPFInstruction.load | size | BPFInstruction.indirect, k: offset)
        }

        /// `ldx 4*([0]&0xf)`: X = the IPv4 header length.
        mutating func loadHeaderLength() {
            emit(BPFInstruction.loadX | BPFInstruction.byte | BPFInstruction.msh, k: 0)
        }

        mutating func loadMemory(_ slot: UInt32) { emit(BPFInstruction.load | BPFInstruction.memory, k: slot) }

        mutating func storeMemory(_ slot: UInt32) { emit(BPFInstruction.store, k: slot) }

        mutating func returnConstant(_ value: UInt32) { emit(BPFInstruction.ret, k: value) }

        mutating func jumpEqual(_ value: UInt32, whenTrue: String? = nil, whenFalse: String? = nil) {
            fixups.append((instructions.count, whenTrue, whenFalse, nil))
            emit(BPFInstruction.jump | BPFInstruction.equal, k: value)
        }

        mutating func jumpSet(_ mask: UInt32, whenTrue: String? = nil, whenFalse: String? = nil) {
            fixups.append((instructions.count, whenTrue, whenFalse, nil))
            emit(BPFInstruction.jump | BPFInstruction.set, k: mask)
        }

        mutating func jumpAlways(_ target: String) {
            fixups.append((instructions.count, nil, nil, target))
            emit(BPFInstruction.jump | BPFInstruction.always, k: 0)
        }

        func assembled() -> [BPFInstruction] {
            var program = instructions
            for fixup in fixups {
                func offset(_ label: String) -> Int {
                    let target = labels[label]!   // every label used is defined above
                    precondition(target > fixup.index, "BPF jumps go forward only")
                    return target - fixup.index - 1
                }
                if let label = fixup.always { program[fixup.index].k = UInt32(offset(label)) }
                if let label = fixup.whenTrue { program[fixup.index].jumpIfTrue = UInt8(offset(label)) }
                if let label = fixup.whenFalse { program[fixup.index].jumpIfFalse = UInt8(offset(label)) }
            }
            return program
        }
    }
}
