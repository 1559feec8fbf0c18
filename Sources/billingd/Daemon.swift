import BillingDomain
import BillingEngine
import ControlProtocol
import Foundation
import BillingDelivery
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization
import SystemdInterop
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's life: open the store, then run the scheduler, the outbox drain, the control socket, the watchdog
/// and the SIGHUP reloader as services of one group that stops them, in reverse order, on SIGTERM or SIGINT.
final class Daemon: Sendable {
    let engine: BillingEngine
    let configPath: String?
    let overrides: BillingdCommand
    let logger: Logger
    /// SIGHUP and `billingctl reload` may arrive together; one reload at a time keeps RELOADING/READY paired.
    private let reloading = Mutex(())

    init(configuration: Configuration, configPath: String?, clock: BillingClock, logger: Logger,
         overrides: BillingdCommand) throws {
        self.configPath = configPath
        self.overrides = overrides
        self.logger = logger
        SystemdNotifier.notify("STATUS=opening database \(configuration.databasePath)")
        engine = try BillingEngine(configuration: configuration, clock: clock, logger: logger)
    }

    /// Control requests handled at once: enough that jobs started over the socket (`run`, `drain`, waiting for the
    /// scheduler's cycle) leave threads for lists and the rest (`status` is mostly answered on the event loop).
    static let requestThreads = 4

    /// `housekeeping`: a thread for the watchdog's probe and reloads.
    func run(once: Bool, housekeeping: NIOThreadPool) async throws {
        // The cycles' blocking SQLite work runs on a thread of its own, never on the cooperative pool.
        let jobs = NIOThreadPool(numberOfThreads: 1)
        jobs.start()
        defer { jobs.shutdownGracefully { _ in } }
        if once {
            // A single cycle keeps the default signal actions: SIGTERM ends it, and SQLite's atomic commit means
            // it ends between transactions as far as the database can tell.
            let report = try await jobs.runIfActive { [engine] in try engine.runCycle() }
            logger.notice("one cycle done: \(report.generated.count) invoices generated")
            return
        }
        let configuration = engine.configuration
        let (listener, activated) = try controlSocket(configuration)
        engine.onReload { [self] in try reload() }
        // Trapped now, before READY=1: a SIGHUP that comes early must reload, not end the daemon.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let router = CommandRouter(engine: engine)
        // Control requests reach the database too: they are handled on threads of their own, off the event loop.
        let requests = NIOThreadPool(numberOfThreads: Self.requestThreads)
        requests.start()
        defer { requests.shutdownGracefully { _ in } }
        // One event loop serves every control connection: its work per request is microseconds.
        let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { loop.shutdownGracefully { _ in } }
        let server = ControlServer(
            listeningSocket: listener,
            limits: .init(maxConnections: configuration.controlMaxConnections,
                          maxConnectionsPerUID: configuration.controlMaxConnectionsPerUID,
                          maxRequestBytes: configuration.controlMaxRequestBytes,
                          idleTimeout: .seconds(configuration.controlIdleTimeoutSeconds)),
            pool: requests,
            group: loop,
            answerAtOnce: { request, peer in router.answerAtOnce(request, peer: peer) }
        ) { request, peer in router.handle(request, peer: peer) }
        let ready = SetOnceFlag()
        let scheduler = Scheduler(engine: engine, pool: jobs) { [logger, engine] in
            logger.notice(
                "billingd \(BillingEngine.version) ready",
                metadata: ["database": "\(engine.databaseLocation)",
                           "socket": "\(activated ? "fd \(listener) (socket activation)" : configuration.socketPath)"])
            // Ready once the migrations ran and the socket is bound: that is when clients can be served (the
            // server answers while a cycle runs). The first cycle, which may be a long catch-up, comes after; its
            // summary follows as STATUS=. Counting the queues here would delay readiness by a scan of every invoice.
            // Sent from a running service, so the group already traps SIGTERM and SIGINT.
            SystemdNotifier.notify("READY=1\nSTATUS=ready; first billing cycle running")
            ready.set()
        } status: { status in
            SystemdNotifier.notify("STATUS=\(status)")
        }
        // The drain's blocking work shares the cycles' thread: the engine's job lock runs one job at a time anyway.
        let drain = OutboxDrainService(engine: engine, pool: jobs) { status in
            SystemdNotifier.notify("STATUS=\(status)")
        }
        // Stopped in reverse order: the stop notice first (it also asks any drain to stop between messages, the
        // service's or a `billingctl drain` in flight), then the reloader, the control server (no new requests; those
        // in flight are answered), the outbox drain (the messages being sent finish and are recorded, the rest of the
        // claimed batch is handed back), the scheduler (the cycle in flight finishes) and the watchdog last.
        var services: [any Service] = []
        if let interval = SystemdNotifier.watchdogInterval() {
            services.append(Watchdog(interval: interval, logger: logger, ready: ready, pool: housekeeping) { [engine] in
                try engine.store.ping()
            })
        }
        services += [
            scheduler,
            drain,
            server,
            ConfigurationReloader(hangups: hangups, engine: engine, pool: housekeeping),
            StopNotice(logger: logger) { [engine] in engine.drainControl.requestStop() },
        ]
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        if !activated { unlink(configuration.socketPath) }
        logger.notice("stopped")
    }

    /// Re-reads the configuration file with the command line's overrides; an invalid one is refused, logged, and the
    /// old one stays in force. Settings read only at start-up (database, socket, control limits) wait for a restart.
    private func reload() throws {
        try reloading.withLock { _ in try reloadLocked() }
    }

    private func reloadLocked() throws {
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
