// Simulation: the deterministic world that StackLab's stack runs in.
//
// - `VirtualTime` / `VirtualDuration`: integer nanoseconds; the only clock in simulated code.
// - `Scheduler`: runs closures in (time, insertion order); time never goes backwards.
// - `SeededGenerator` (xoshiro256** seeded by SplitMix64) shared through one `RandomSource`:
//   a whole world is one seed.
// - `Link` with `LinkConditions`: delay, jitter, bandwidth, drop-tail queue, MTU, Bernoulli and
//   Gilbert–Elliott loss, duplication, reordering, corruption, partitions, up/down; every
//   outcome is a `LinkEvent` for a `LinkObserver`.
// - `World`, `Host`, `Router`: named nodes and links kept in insertion order.
//
// Imports nothing, not even Foundation. Deliberate simplifications:
// - A link drop for loss is reported when the frame is sent, although the frame still used its
//   serialisation time; duplicates cost no bandwidth; corruption flips exactly one bit.
// - Queue occupancy counts a frame until its serialisation ends; there is no separate
//   propagation-side buffer limit.
// - The router forwards by longest prefix only: no ICMP errors, fragmentation, IP options or
//   local delivery; frames without a plausible IPv4 header are dropped as `malformed`.
// - Routes and nodes are looked up by linear search (worlds are small and lessons read them).
