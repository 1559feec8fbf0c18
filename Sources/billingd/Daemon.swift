import BillingDomain
import BillingEngine
import ControlProtocol
import Foundation
import Logging
import SystemdInterop

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's life: open the store, serve the control socket, run the scheduler, react to signals.
final class Daemon {
    let engine: BillingEngine
    let configPath: String?
    let overrides: BillingdCommand
    let logger: Logger

    init(configuration: Configuration, configPath: String?, clock: BillingClock, logger: Logger,
         overrides: BillingdCommand) throws {
        self.configPath = configPath
        self.overrides = overrides
        self.logger = logger
        SystemdNotifier.notify("STATUS=opening database \(configuration.databasePath)")
        engine = try BillingEngine(configuration: configuration, clock: clock, logger: logger)
    }

    func run(once: Bool) throws {
        if once {
            // A single cycle keeps the default signal actions: SIGTERM ends it, and SQLite's atomic commit means
            // it ends between transactions as far as the database can tell.
            let report = try engine.runCycle()
            logger.notice("one cycle done: \(report.generated.count) invoices generated")
            return
        }
        // Signals are taken synchronously by this thread (sigwait), so every other thread must have them blocked:
        // block them before any thread is started.
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&signals, signal) }
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let configuration = engine.configuration
        let (listener, activated) = try controlSocket(configuration)
        let router = CommandRouter(engine: engine)
        let server = ControlServer(
            listeningSocket: listener,
            limits: .init(maxConnections: configuration.controlMaxConnections,
                          maxRequestBytes: configuration.controlMaxRequestBytes,
                          idleTimeout: .seconds(configuration.controlIdleTimeoutSeconds)),
            handler: { request, peer in router.handle(request, peer: peer) })
        server.start()
        let scheduler = Scheduler(engine: engine) { status in SystemdNotifier.notify("STATUS=\(status)") }
        scheduler.start()
        logger.notice(
            "billingd \(BillingEngine.version) ready",
            metadata: ["database": "\(engine.store.path)", "socket": "\(activated ? "fd \(listener)" : configuration.socketPath)"])
        SystemdNotifier.notify("READY=1\nSTATUS=\((try? engine.statusSummary()) ?? "ready")")

        while true {
            var received: Int32 = 0
            sigwait(&signals, &received)
            if received == SIGHUP {
                reload()
                continue
            }
            logger.notice("stopping on signal \(received)")
            SystemdNotifier.notify("STOPPING=1\nSTATUS=stopping: finishing work in flight")
            server.stop()
            scheduler.stop()
            if !activated { unlink(configuration.socketPath) }
            logger.notice("stopped")
            return
        }
    }

    /// Re-reads the configuration file; an invalid one is refused and the old one stays in force.
    private func reload() {
        SystemdNotifier.notify("RELOADING=1\nSTATUS=reloading configuration")
        do {
            let configuration = try overrides.loadConfiguration()
            engine.replaceConfiguration(configuration)
            logger.notice("configuration reloaded", metadata: ["config": "\(configPath ?? "embedded default")"])
        } catch let error as BillingError {
            logger.error("configuration not reloaded, keeping the old one: \(error.message)")
        } catch {
            logger.error("configuration not reloaded, keeping the old one: \(error)")
        }
        SystemdNotifier.notify("READY=1\nSTATUS=configuration reloaded")
    }

    /// The socket systemd passed (socket activation), or one we bind ourselves.
    private func controlSocket(_ configuration: Configuration) throws -> (Int32, Bool) {
        if let fd = SocketActivation.listeningSockets().first {
            return (fd, true)
        }
        let fd = try UnixSocket.listen(path: configuration.socketPath, mode: mode_t(configuration.socketMode))
        return (fd, false)
    }
}
