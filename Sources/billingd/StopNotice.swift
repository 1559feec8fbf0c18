import Logging
import ServiceLifecycle
import SystemdInterop

/// Tells systemd and the journal that billingd is stopping, as soon as SIGTERM or SIGINT arrives. It is the last
/// service of the group, so its graceful shutdown comes first, before the others finish their work in flight.
struct StopNotice: Service {
    let logger: Logger

    func run() async throws {
        try await gracefulShutdown()
        logger.notice("stopping: finishing work in flight")
        SystemdNotifier.notify("STOPPING=1\nSTATUS=stopping: finishing work in flight")
    }
}
