@testable import StackLabCommands

/// The outcome of one in-process `stacklab` invocation.
struct Invocation {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `stacklab` in process with captured output.
func invoke(
    _ arguments: [String], commands: [Command]? = nil, isTerminal: Bool = false,
    environment: [String: String] = [:]
) -> Invocation {
    let (context, out, err) = CommandContext.capturing(isTerminal: isTerminal, environment: environment)
    let status = StackLabCommands.run(arguments, context: context, commands: commands ?? Command.all)
    return Invocation(status: status, stdout: out.text, stderr: err.text)
}

/// SplitMix64 (Steele, Lea, Flood 2014): the tests' only source of randomness, always seeded.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
