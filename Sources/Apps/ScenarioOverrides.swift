import Tracing

/// Knobs a user may turn on any scenario, from the command line (`--seed`, `--rtt`, `--loss`,
/// `--profile`, `--bytes`) or a lesson's header (also jitter, duplication, reordering and
/// corruption). Nil keeps the scenario's own value. `bytes` is read by the built-in scenarios
/// that send a stream (`BuiltInScenarios.scenario(named:overrides:)`); `requests` sets how many
/// requests every HTTP client and every long-socket client that requests pages makes;
/// `messages` how many chat messages a chat server's feed posts, how many its readers wait for,
/// and how many each MQTT client publishes; `interval` how often a polling client polls.
public struct ScenarioOverrides: Hashable, Sendable {
    public var seed: UInt64?
    /// Round-trip time, nanoseconds.
    public var rtt: Int64?
    public var lossPPM: Int?
    public var profile: StackProfile?
    public var bytes: Int?
    /// Jitter, ± nanoseconds.
    public var jitter: Int64?
    public var duplicatePPM: Int?
    public var reorderPPM: Int?
    public var corruptPPM: Int?
    public var requests: Int?
    public var messages: Int?
    /// The polling interval, nanoseconds.
    public var interval: Int64?
    /// Run on a loopback link (`LinkSpec.loopbackDevice`: `lo`'s timing and MTU); `rtt` still applies after it.
    public var loopback: Bool

    public init(
        seed: UInt64? = nil, rtt: Int64? = nil, lossPPM: Int? = nil, profile: StackProfile? = nil, bytes: Int? = nil,
        jitter: Int64? = nil, duplicatePPM: Int? = nil, reorderPPM: Int? = nil, corruptPPM: Int? = nil,
        requests: Int? = nil, messages: Int? = nil, interval: Int64? = nil, loopback: Bool = false
    ) {
        self.seed = seed
        self.rtt = rtt
        self.lossPPM = lossPPM
        self.profile = profile
        self.bytes = bytes
        self.jitter = jitter
        self.duplicatePPM = duplicatePPM
        self.reorderPPM = reorderPPM
        self.corruptPPM = corruptPPM
        self.requests = requests
        self.messages = messages
        self.interval = interval
        self.loopback = loopback
    }

    /// The scenario with these overrides applied to its header (seed, profile, link).
    public func applied(to scenario: Scenario) -> Scenario {
        var result = scenario
        if let seed { result.seed = seed }
        if loopback { result.link.takeLoopbackTiming() }
        if let rtt { result.link.rtt = rtt }
        if let lossPPM { result.link.lossPPM = lossPPM }
        if let profile { result.profile = profile }
        if let jitter { result.link.jitter = jitter }
        if let duplicatePPM { result.link.duplicatePPM = duplicatePPM }
        if let reorderPPM { result.link.reorderPPM = reorderPPM }
        if let corruptPPM { result.link.corruptPPM = corruptPPM }
        if let requests {
            for index in result.steps.indices {
                switch result.steps[index].operation {
                case .application(.httpClient(var settings)):
                    settings.count = requests
                    if settings.pipeline > 1 { settings.pipeline = min(settings.pipeline, requests) }
                    result.steps[index].operation = .application(.httpClient(settings))
                case .application(.longSocketClient(var settings)) where settings.path != nil:
                    settings.count = requests
                    result.steps[index].operation = .application(.longSocketClient(settings))
                default:
                    break
                }
            }
        }
        if messages != nil || interval != nil {
            for index in result.steps.indices {
                if case .application(let operation) = result.steps[index].operation {
                    result.steps[index].operation = .application(applied(to: operation))
                }
            }
        }
        return result
    }

    /// A chat or MQTT application with `messages` and `interval` applied.
    private func applied(to operation: ApplicationOperation) -> ApplicationOperation {
        switch operation {
        case .chatServer(var settings):
            if let messages, settings.feed != nil { settings.feed?.count = messages }
            return .chatServer(settings)
        case .pollClient(var settings):
            if let messages, settings.count > 0 { settings.count = messages }
            if let interval, settings.interval != nil { settings.interval = interval }
            return .pollClient(settings)
        case .webSocketClient(var settings):
            if let messages, settings.count > 0 {
                settings.count = messages
                if settings.sends > 0 { settings.sends = messages }
            }
            return .webSocketClient(settings)
        case .mqttClient(var settings):
            if let messages, settings.publishes > 0 { settings.publishes = messages }
            return .mqttClient(settings)
        case .httpServer, .longSocketServer, .httpClient, .longSocketClient, .message, .webSocketEchoServer,
             .mqttBroker, .mqttDisconnect:
            return operation
        }
    }
}
