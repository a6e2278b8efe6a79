// swift-tools-version: 6.0
// StackLab: an educational, deterministic network-stack simulator.
// No package dependencies: only the toolchain's own modules (see README.md).
import PackageDescription

let package = Package(
    name: "StackLab",
    products: [
        .executable(name: "stacklab", targets: ["stacklab"]),
    ],
    targets: [
        // Byte-exact codecs: IPv4, TCP, UDP, ICMP, checksums, sequence numbers, pcap. Imports nothing.
        .target(name: "Wire"),
        // Virtual time, the event scheduler, seeded randomness, links and their faults. Imports nothing.
        .target(name: "Simulation"),
        // The socket API that both runtimes implement, and its events. Imports nothing.
        .target(name: "Sockets"),
        // Sans-I/O protocol machines over bytes: HTTP/1.x, WebSocket, MQTT, heartbeats, SHA-1, Base64. Imports nothing.
        .target(name: "Protocols"),
        // The trace: its typed vocabulary, events, files (JSON Lines, text), the scenario language.
        .target(name: "Tracing", dependencies: ["Wire", "Sockets"]),
        // The simulated IPv4/ICMP/UDP/TCP stack and the simulated runtime.
        .target(name: "Stack", dependencies: ["Wire", "Simulation", "Sockets", "Tracing"]),
        // The real runtime over POSIX sockets on 127.0.0.0/8 and capture on lo; the only module that touches Glibc.
        .target(name: "Loopback", dependencies: ["Wire", "Sockets", "Tracing"]),
        // Applications written against the socket API, and the scenario runner and catalogue.
        .target(name: "Apps", dependencies: ["Protocols", "Sockets", "Tracing"]),
        // Runs a scenario on a runtime and summarises what happened.
        .target(name: "Runs", dependencies: ["Wire", "Stack", "Apps", "Tracing", "Loopback"]),
        // Terminal ladder, SVG ladder, Mermaid, time-sequence graph: text or bytes, no file I/O.
        .target(name: "Rendering", dependencies: ["Wire", "Tracing"]),
        // The property-testing harness, the invariant catalogue, protocol ablations.
        .target(name: "Checking", dependencies: ["Wire", "Simulation", "Stack", "Tracing", "Runs"]),
        // The lesson format, lesson validation, the stepper's model (no terminal I/O).
        .target(name: "Tutor", dependencies: ["Wire", "Stack", "Apps", "Tracing", "Loopback", "Runs", "Rendering"]),
        // Workloads that `stacklab bench` measures.
        .target(name: "Benchmarks", dependencies: ["Simulation", "Tracing", "Apps", "Runs", "Rendering", "Checking"]),
        // The command line: argument parsing, subcommands, output. `stacklab` is a one-line main over it.
        .target(name: "StackLabCommands", dependencies: ["Wire", "Tracing", "Stack", "Loopback", "Apps", "Runs", "Rendering", "Checking", "Tutor", "Benchmarks"]),
        .executableTarget(name: "stacklab", dependencies: ["StackLabCommands"]),

        // What several test targets share (the lock that keeps real-socket tests from overlapping).
        .target(name: "TestSupport", path: "Tests/Support"),
        .testTarget(name: "WireTests", dependencies: ["TestSupport", "Wire", "Simulation"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ProtocolsTests", dependencies: ["TestSupport", "Protocols", "Simulation"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation"]),
        .testTarget(name: "TracingTests", dependencies: ["TestSupport", "Tracing", "Wire", "Sockets", "Apps", "Runs", "Simulation"]),
        .testTarget(name: "RenderingTests", dependencies: ["TestSupport", "Rendering", "Tracing", "Wire", "Apps", "Runs"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CheckingTests", dependencies: ["Checking", "Stack", "Tracing", "Wire"]),
        .testTarget(name: "TutorTests", dependencies: ["TestSupport", "Tutor", "Tracing", "Stack", "Checking", "Runs", "Loopback", "Wire"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "RunsTests", dependencies: ["TestSupport", "Runs", "Apps", "Tracing", "Checking", "Loopback", "Protocols", "Sockets", "Stack"]),
        .testTarget(name: "StackTests", dependencies: ["Stack", "Wire", "Simulation", "Sockets", "Tracing", "Apps", "Runs"]),
        .testTarget(name: "LoopbackTests", dependencies: ["TestSupport", "Loopback", "Sockets", "Wire", "Apps", "Tracing"]),
        .testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks", "Runs", "Tracing", "Checking"]),
        .testTarget(name: "StackLabCommandsTests", dependencies: ["TestSupport", "StackLabCommands", "Stack", "Tracing", "Wire", "Simulation", "Checking", "Tutor", "Runs", "Apps", "Loopback"]),
    ],
    swiftLanguageModes: [.v6]
)
