import BillingDomain
import BillingStore
import ControlProtocol
import Foundation

/// `billingctl status`: what the daemon is, how long it has run, and the sizes of its queues.
enum StatusReport {
    static let templateStatuses = ["active", "paused", "ended"]
    static let invoiceStatuses = InvoiceStatus.allCases.map(\.rawValue)
    static let outboxStatuses = OutboxStatus.allCases.map(\.rawValue)

    static func answer(_ engine: BillingEngine) throws -> StatusAnswer {
        answer(engine, snapshot: try engine.statusSnapshot())
    }

    /// The answer without waiting, when the counts are current (the control server's event loop asks).
    static func answerAtOnce(_ engine: BillingEngine) -> StatusAnswer? {
        engine.statusSnapshotIfCurrent().map { answer(engine, snapshot: $0) }
    }

    private static func answer(_ engine: BillingEngine, snapshot: StatusSnapshot) -> StatusAnswer {
        let counts = snapshot.counts
        func grouped(_ keys: [String], _ counts: [String: Int]) -> StatusCounts {
            StatusCounts(keys.map { ($0, counts[$0] ?? 0) })
        }
        return StatusAnswer(
            version: BillingEngine.version,
            uptimeSeconds: Int(engine.clock.now().timeIntervalSince(engine.startedAt)),
            database: engine.databaseLocation,
            nextWakeAt: snapshot.nextWakeAt.map { ISO8601.formatUTC(Date(timeIntervalSince1970: TimeInterval($0))) },
            templates: grouped(templateStatuses, counts.templates),
            invoices: grouped(invoiceStatuses, counts.invoices),
            outbox: grouped(outboxStatuses, counts.outbox),
            faults: engine.faults.map { fault in
                DaemonFault(scope: fault.scope, code: fault.code, message: fault.message,
                            since: ISO8601.formatUTC(fault.since))
            })
    }
}
