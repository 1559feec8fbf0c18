import BillingDomain
import ControlProtocol

/// `status`, `reload`, `metrics`: the daemon itself rather than billing data.
enum DaemonCommands {
    static let all: [(String, CommandRouter.Command)] = [
        ("status", .init(mutating: false) { engine, _ in try StatusReport.json(engine) }),
        // Mutating: a reload changes what the daemon does (transports, dunning, limits), so it is kept to the
        // same peers as commands that change billing data.
        ("reload", .init(mutating: true) { engine, _ in
            try engine.reloadConfiguration()
            return ["reloaded": .bool(true)]
        }),
        ("metrics", .init(mutating: false) { engine, _ in
            ["text": .string(try engine.metricsExposition())]
        }),
    ]
}
