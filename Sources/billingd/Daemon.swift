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
final class Daemon: @unchecked Sendable {
    let engine: BillingEngine
    let configPath: String?
    let overrides: BillingdCommand
    let logger: Logger
    /// SIGHUP and `billingctl reload` may arrive together; one reload at a time keeps RELOADING/READY paired.
    private let reloadLock = NSLock()

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
        engine.onReload { [self] in try reload() }
        let router = CommandRouter(engine: engine)
        let server = ControlServer(
            listeningSocket: listener,
            limits: .init(maxConnections: configuration.controlMaxConnections,
                          maxConnectionsPerUID: configuration.controlMaxConnectionsPerUID,
                          maxRequestBytes: configuration.controlMaxRequestBytes,
                          idleTimeout: .seconds(configuration.controlIdleTimeoutSeconds)),
            handler: { request, peer in router.handle(request, peer: peer) })
        server.start()
        let scheduler = Scheduler(engine: engine) { status in SystemdNotifier.notify("STATUS=\(status)") }
        let watchdog = SystemdNotifier.watchdogInterval().map { interval in
            Watchdog(interval: interval, logger: logger) { [engine] in try engine.store.ping() }
        }
        logger.notice(
            "billingd \(BillingEngine.version) ready",
            metadata: ["database": "\(engine.databaseLocation)",
                       "socket": "\(activated ? "fd \(listener) (socket activation)" : configuration.socketPath)"])
        // Ready once the migrations ran and the socket is bound: that is when clients can be served (the server
        // answers while a cycle runs). The first cycle, which may be a long catch-up, comes after; its summary
        // follows as STATUS=. Counting the queues here would delay readiness by a scan of every invoice.
        SystemdNotifier.notify("READY=1\nSTATUS=ready; first billing cycle running")
        scheduler.start()
        // Pings start once the service is ready: a ping before READY=1 would tell systemd nothing.
        watchdog?.start()

        while true {
            var received: Int32 = 0
            sigwait(&signals, &received)
            if received == SIGHUP {
                try? engine.reloadConfiguration()  // logged inside; the old configuration stays on failure
                continue
            }
            logger.notice("stopping on signal \(received)")
            SystemdNotifier.notify("STOPPING=1\nSTATUS=stopping: finishing work in flight")
            server.stop()
            scheduler.stop()
            // Last, so systemd keeps hearing from a daemon that is still finishing a long transaction.
            watchdog?.stop()
            if !activated { unlink(configuration.socketPath) }
            logger.notice("stopped")
            return
        }
    }

    /// Re-reads the configuration file with the command line's overrides; an invalid one is refused, logged, and the
    /// old one stays in force. Settings read only at start-up (database, socket, control limits) wait for a restart.
    private func reload() throws {
        reloadLock.lock()
        defer { reloadLock.unlock() }
        SystemdNotifier.notifyReloading(status: "reloading configuration")
        defer { SystemdNotifier.notify("READY=1\nSTATUS=\(statusLine())") }
        let source = configPath ?? "embedded default"
        var configuration: Configuration
        do {
            configuration = try overrides.loadConfiguration()
        } catch {
            let reason = (error as? BillingError)?.message ?? "\(error)"
            logger.error("configuration not reloaded, keeping the old one: \(reason)",
                         metadata: ["config": "\(source)", "error_code": "\(BillingError.Code.invalidConfig)"])
            throw BillingError(.invalidConfig, "Configuration not reloaded, the old one stays in force: \(reason)")
        }
        let old = engine.configuration
        if configuration.databasePath != old.databasePath || configuration.socketPath != old.socketPath {
            logger.warning("database and socket paths change only at restart", metadata: ["config": "\(source)"])
        }
        // The daemon keeps the database and socket it started with, and so the spool folders that follow the
        // database when they are not set explicitly.
        configuration.databasePath = old.databasePath
        configuration.socketPath = old.socketPath
        engine.replaceConfiguration(configuration)
        logger.notice("configuration reloaded", metadata: ["config": "\(source)"])
    }

    private func statusLine() -> String {
        engine.statusLine()
    }

    /// The socket systemd passed (socket activation), or one we bind ourselves when none was passed.
    private func controlSocket(_ configuration: Configuration) throws -> (Int32, Bool) {
        let passed = SocketActivation.passedSockets()
        if passed.isEmpty {
            let fd = try UnixSocket.listen(path: configuration.socketPath, mode: mode_t(configuration.socketMode))
            // As billingd.socket's SocketGroup= does: the control group may connect (when that group exists).
            if let group = getgrnam(configuration.controlGroup),
               lchown(configuration.socketPath, uid_t.max, group.pointee.gr_gid) != 0 {
                logger.warning("cannot give the control socket to group \(configuration.controlGroup): errno \(errno)")
            }
            return (fd, false)
        }
        // billingd.socket names its socket "control" (FileDescriptorName=); a lone unnamed socket is taken as well,
        // as systemd-socket-activate passes one without --fdname.
        guard let chosen = passed.first(where: { $0.name == "control" }) ?? (passed.count == 1 ? passed[0] : nil) else {
            throw BillingError(.invalidConfig, "systemd passed \(passed.count) sockets "
                + "(\(passed.map(\.name).joined(separator: ", "))) and none is named 'control'; "
                + "set FileDescriptorName=control in billingd.socket.")
        }
        guard chosen.isListeningUnixStream else {
            throw BillingError(.invalidConfig, "The socket systemd passed as '\(chosen.name)' (fd \(chosen.fd)) is not a "
                + "listening Unix stream socket; billingd.socket needs ListenStream=/run/billingd/control.sock.")
        }
        for other in passed where other.fd != chosen.fd { close(other.fd) }
        return (chosen.fd, true)
    }
}
