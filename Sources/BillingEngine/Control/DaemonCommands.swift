import BillingDomain
import ControlProtocol

/// `status`, `reload`, `metrics`, `backup`: the daemon itself rather than billing data.
enum DaemonCommands {
    static let all: [(String, CommandRouter.Command)] = [
        ("status", .typed(NoArguments.self, atOnce: { engine, _ in StatusReport.answerAtOnce(engine) }) { engine, _ in
            try StatusReport.answer(engine)
        }),
        // Mutating: a reload changes what the daemon does (transports, dunning, limits), so it is kept to the
        // same peers as commands that change billing data.
        ("reload", .typed(NoArguments.self, mutating: true) { engine, _ in
            try engine.reloadConfiguration()
            return ReloadAnswer(reloaded: true)
        }),
        ("metrics", .typed(NoArguments.self, mutating: false) { engine, _ in
            MetricsAnswer(text: try engine.metricsExposition())
        }),
        // Kept to the peers that may change billing data: the copy holds every customer's contact data, and the
        // daemon writes it with its own rights.
        ("backup", .typed(BackupArguments.self, mutating: true) { engine, request in
            let path = try Arguments.nonEmpty(request.path, "path")
            let bytes = try engine.backup(to: path)
            return BackupAnswer(path: path, bytes: Int(bytes))
        }),
    ]
}
