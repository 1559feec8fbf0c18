import BillingDomain
import ControlProtocol
import Foundation

/// `billingctl status`: what the daemon is, how long it has run, and the sizes of its queues.
enum StatusReport {
    static func json(_ engine: BillingEngine) throws -> JSONValue {
        let counts = try engine.store.counts()
        func grouped(_ keys: [String], _ counts: [String: Int]) -> JSONValue {
            .object(keys.map { JSONMember(key: $0, value: JSONValue(counts[$0] ?? 0), line: 0) })
        }
        let nextWake = try engine.store.nextWakeAt().map {
            JSONValue.string(ISO8601.formatUTC(Date(timeIntervalSince1970: TimeInterval($0))))
        } ?? .null
        return [
            "version": .string(BillingEngine.version),
            "uptimeSeconds": JSONValue(Int(engine.clock.now().timeIntervalSince(engine.startedAt))),
            "database": .string(engine.store.path),
            "nextWakeAt": nextWake,
            "templates": grouped(["active", "paused", "ended"], counts.templates),
            "invoices": grouped(["Draft", "Due", "PastDue", "Paid", "Canceled"], counts.invoices),
            "outbox": grouped(["pending", "sending", "sent", "failed", "dead", "withdrawn"], counts.outbox),
        ]
    }
}
