/// The randomness an application draws (reconnection jitter), reproducible from the run's seed.
///
/// Applications run on any runtime, so they cannot use the simulator's generator; each gets its
/// own SplitMix64 (Steele, Lea and Flood, 2014) seeded from the scenario's seed and a label naming
/// the application (its host and step), hashed with 64-bit FNV-1a. The same scenario and seed
/// therefore draw the same jitter on the simulated stack and on the kernel, and two applications
/// never share a stream.
public struct ApplicationRandom: Sendable {
    private var state: UInt64

    /// The generator for the application labelled `label` in a run seeded with `seed`.
    public init(seed: UInt64, label: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325   // FNV-1a 64 offset basis
        for byte in label.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3          // FNV-1a 64 prime
        }
        state = seed ^ hash
    }

    /// The next 64 random bits (SplitMix64's `next`).
    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// The generator is a `RandomNumberGenerator`, so protocol machines that take one (WebSocket's
/// masking keys) draw from the run's seed.
extension ApplicationRandom: RandomNumberGenerator {}
