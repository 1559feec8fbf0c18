import BillingDomain
import BillingStore
import ControlProtocol
import Foundation
import Logging
import Synchronization

/// The running billing engine: the store, the configuration in force, the clock, and the jobs and control
/// commands that work on them. One instance per daemon; `--once`, the scheduler and the control socket all go
/// through it, so each job has one code path whoever triggers it.
public final class BillingEngine: Sendable {
    public static let version = "0.1.0"

    /// The billing operations of the configured store. Control commands go through the engine's operations
    /// (`Operations/`), never through this.
    public let store: any BillingStorage
    public let clock: BillingClock
    public let logger: Logger
    public let startedAt: Date
    public let metrics = BillingMetrics()
    private let _configuration: Mutex<Configuration>
    /// Serialises the jobs (recurring run, sweep, drain) whoever triggers them.
    let jobLock = Mutex(())
    /// Lets shutdown stop a running outbox drain between messages.
    public let drainControl = DrainControl()
    /// The faults in force (see `Fault`).
    let faultBoard = FaultBoard()
    /// The hooks the daemon registers: the `onChange` observers are called after a command or a job changed what
    /// is due, so the scheduler and the drain can re-plan their sleeps; `reloader` re-reads the configuration.
    private let hooks = Mutex(Hooks())

    private struct Hooks {
        var observers: [Int: (work: DueWork, body: @Sendable () -> Void)] = [:]
        var nextObserver = 0
        var reloader: (@Sendable () throws -> Void)?
    }

    public init(configuration: Configuration, clock: BillingClock, logger: Logger) throws {
        _configuration = Mutex(configuration)
        self.clock = clock
        self.logger = logger
        startedAt = clock.now()
        store = try openBillingStorage(
            location: configuration.databasePath,
            busyTimeoutMilliseconds: Int32(configuration.busyTimeoutMilliseconds), now: clock.nowSeconds())
        for name in store.appliedMigrations {
            logger.notice("applied migration \(name)", metadata: ["database": "\(store.location)"])
        }
    }

    public var configuration: Configuration {
        _configuration.withLock { $0 }
    }

    /// Swaps the configuration in force (SIGHUP, `billingctl reload`). Work in progress keeps the copy it started with.
    public func replaceConfiguration(_ configuration: Configuration) {
        _configuration.withLock { $0 = configuration }
        notifyChange()
    }

    /// Calls `body` after each change of what is due that concerns `work`, until `removeChangeObserver`.
    @discardableResult
    public func onChange(of work: DueWork = .all, _ body: @escaping @Sendable () -> Void) -> ChangeObserver {
        hooks.withLock { hooks in
            hooks.nextObserver += 1
            hooks.observers[hooks.nextObserver] = (work, body)
            return ChangeObserver(id: hooks.nextObserver)
        }
    }

    public func removeChangeObserver(_ observer: ChangeObserver) {
        _ = hooks.withLock { $0.observers.removeValue(forKey: observer.id) }
    }

    /// Registers how the configuration is re-read. Only the daemon knows the file and its command-line overrides,
    /// and the systemd notifications that go with a reload, so it provides the body.
    public func onReload(_ body: @escaping @Sendable () throws -> Void) {
        hooks.withLock { $0.reloader = body }
    }

    /// Re-reads the configuration: the one path for SIGHUP and `billingctl reload`. An invalid configuration
    /// throws and leaves the old one in force.
    public func reloadConfiguration() throws {
        let body = hooks.withLock { $0.reloader }
        guard let body else {
            throw BillingError(.invalidRequest, "This billingd cannot reload its configuration (no daemon is running).")
        }
        try body()
    }

    /// `billingctl metrics`: Prometheus text format.
    public func metricsExposition() throws -> String {
        metrics.exposition(try store.statusSnapshot().counts)
    }

    /// Tells the observers of `work` that it changed (queued, withdrawn, moved or made due).
    func notifyChange(_ work: DueWork = .all) {
        let bodies = hooks.withLock { $0.observers.values.filter { !$0.work.isDisjoint(with: work) }.map(\.body) }
        for body in bodies { body() }
    }

    var importDefaults: ImportDocument.Defaults {
        let config = configuration
        return ImportDocument.Defaults(
            timeZone: config.defaultTimeZone, currency: config.defaultCurrency,
            roundingMode: config.defaultRoundingMode, vatRounding: config.defaultVatRounding,
            backdateLimit: .init(now: clock.now(), maxDays: config.maxBackdateDays) { [store] guid in
                try? store.template("guid:" + guid).runDate
            })
    }

    /// Imports a document whole or not at all (the one path for `billingctl import`).
    public func importDocument(_ bytes: [UInt8]) throws -> ImportOutcome {
        let outcome: ImportOutcome
        do {
            let document = try ImportDocument.parse(bytes, defaults: importDefaults)
            outcome = try store.importCatalog(
                customers: document.customers, templates: document.templates, now: clock.nowSeconds())
        } catch let error as BillingError where !Self.operationalCodes.contains(error.code) {
            metrics.importRefused()
            var metadata: Logger.Metadata = [
                "error_code": "\(error.code)", "message_id": "\(JournalMessageID.importRefused)",
            ]
            if let field = error.field { metadata["field"] = "\(field)" }
            logger.warning("import refused: \(error.message)", metadata: metadata)
            throw error
        }
        logger.notice("imported \(outcome.customers) customers and \(outcome.templates.count) templates")
        notifyChange(.billing)
        return outcome
    }

    /// Failures that are the daemon's or the database's, not the document's: they are not import refusals.
    static let operationalCodes: Set<BillingError.Code> = [.storageError, .busy, .internalError]
}

/// Which job a change of what is due concerns: billing work (template runs, past-due instants, reminders: the
/// scheduler's) or outbox messages (the drain's).
public struct DueWork: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let billing = DueWork(rawValue: 1)
    public static let outbox = DueWork(rawValue: 2)
    public static let all: DueWork = [.billing, .outbox]
}

/// One `onChange` registration, to remove it again.
public struct ChangeObserver: Sendable, Hashable {
    let id: Int
}
