import BillingDomain
import ControlProtocol
import Foundation

/// `billingctl status`: what the daemon is, how long it has run, and the sizes of its queues.
enum StatusReport {
    static let templateStatuses = ["active", "paused", "ended"]
    static let invoiceStatuses = InvoiceStatus.allCases.map(\.rawValue)
    static let outboxStatuses = OutboxStatus.allCases.map(\.rawValue)

    static func json(_ engine: BillingEngine) throws -> JSONValue {
        let snapshot = try engine.statusSnapshot()
        let counts = snapshot.counts
        func grouped(_ keys: [String], _ counts: [String: Int]) -> JSONValue {
            .object(keys.map { JSONMember(key: $0, value: JSONValue(counts[$0] ?? 0), line: 0) })
        }
        let nextWake = snapshot.nextWakeAt.map {
            JSONValue.string(ISO8601.formatUTC(Date(timeIntervalSince1970: TimeInterval($0))))
        } ?? .null
        return [
            "version": .string(BillingEngine.version),
            "uptimeSeconds": JSONValue(Int(engine.clock.now().timeIntervalSince(engine.startedAt))),
            "database": .string(engine.databaseLocation),
            "nextWakeAt": nextWake,
            "templates": grouped(templateStatuses, counts.templates),
            "invoices": grouped(invoiceStatuses, counts.invoices),
            "outbox": grouped(outboxStatuses, counts.outbox),
            "faults": .array(engine.faults.map { fault in
                ["scope": .string(fault.scope), "code": .string(fault.code), "message": .string(fault.message),
                 "since": .string(ISO8601.formatUTC(fault.since))]
            }),
        ]
    }
}
