import Logging
import ServiceLifecycle
import SystemdInterop

/// Tells systemd and the journal that billingd is stopping, as soon as SIGTERM or SIGINT arrives. It is the last
/// service of the group, so its graceful shutdown comes first, before the others finish their work in flight.
///
/// `stopping` is told then too: work that should end early rather than finish (a drain of a long queue) hears of the
/// stop before the services that wait for it.
struct StopNotice: Service {
    let logger: Logger
    let stopping: @Sendable () -> Void

    func run() async throws {
        try await gracefulShutdown()
        logger.notice("stopping: finishing work in flight")
        SystemdNotifier.notify("STOPPING=1\nSTATUS=stopping: finishing work in flight")
        stopping()
    }
}
