// Simulation: the deterministic world that StackLab's stack runs in.
//
// - `VirtualTime` / `VirtualDuration`: integer nanoseconds; the only clock in simulated code.
// - `Scheduler`: runs events in (time, insertion order); time never goes backwards. Frame
//   arrivals and protocol timers are typed events that name their link or target by number in
//   the scheduler's registry (no allocation, no reference counting per event); closures remain
//   for the rest. `FramePool`: frame buffers reused when nothing keeps them.
// - `SeededGenerator` (xoshiro256** seeded by SplitMix64) shared through one `RandomSource`:
//   a whole world is one seed.
// - `Link` with `LinkConditions`: delay, jitter, bandwidth, drop-tail queue, MTU, Bernoulli and
//   Gilbert–Elliott loss, duplication, reordering, corruption, partitions, up/down; every
//   outcome is a `LinkEvent` for a `LinkObserver`.
// - `World`, `Node`, `Host`: named nodes and links kept in insertion order. Nodes that read
//   packets (the router) live in `Stack`, which has the codecs.
//
// Imports nothing, not even Foundation. Deliberate simplifications:
// - A link drop for loss is reported when the frame is sent, although the frame still used its
//   serialisation time; duplicates cost no bandwidth; corruption flips exactly one bit.
// - Queue occupancy counts a frame until its serialisation ends; there is no separate
//   propagation-side buffer limit.
// - Nodes are looked up by linear search (worlds are small and lessons read them).
