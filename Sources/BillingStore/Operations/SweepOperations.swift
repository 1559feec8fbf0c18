import BillingDomain
import Foundation

/// What one past-due sweep did.
public struct SweepResult: Sendable {
    public var markedPastDue = 0
    /// The numbers of the first invoices marked (for the journal; a million-invoice sweep is not logged one by one).
    public var sampleNumbers: [String] = []
    public var reminders: [(number: String, level: Int, skipped: [Int])] = []
}

extension Store {
    /// The sweep's central statement. It must stay one pass over the partial index `invoice_state_past_due`
    /// (see `sweepQueryPlan()` and the benchmark), named so that a planner without statistics cannot choose a
    /// walk over every Due invoice. It rewrites only the narrow `invoice_state` rows, never the wide invoices.
    ///
    /// `next_reminder_at` starts at the past-due instant (a lower bound of reminder 1, computed exactly by the
    /// dunning pass in the invoice's zone), or NULL when no reminders are configured (?2 = 0), so a sweep without
    /// dunning touches each overdue invoice once.
    static let sweepUpdate = """
        UPDATE invoice_state INDEXED BY invoice_state_past_due
        SET status = 'PastDue', next_reminder_at = CASE WHEN ?2 THEN past_due_at END
        WHERE status = 'Due' AND past_due_at <= ?1
        """

    /// SQLite's plan for the sweep, for tests and the benchmark report.
    public func sweepQueryPlan() throws -> [String] {
        try read { db in
            try db.prepare("EXPLAIN QUERY PLAN \(Store.sweepUpdate)").bind(.integer(0), .integer(1)).all { $0.text(3) }
        }
    }

    /// Marks unpaid Due invoices whose due date has passed (in their own time zone: `past_due_at` is the first
    /// instant after the due date there) as PastDue, with a history event each (its "due date … passed unpaid"
    /// text is composed when the history is read, so the sweep never reads the wide invoice rows), then queues
    /// the reminders that have fallen due. One transaction: a crash leaves the sweep undone, never half done.
    public func sweep(now: Int64, dunning: DunningSchedule) throws -> SweepResult {
        try write { db in
            try db.transaction {
                var result = SweepResult()
                result.sampleNumbers = try db.cached("""
                    SELECT i.number FROM invoice_state s INDEXED BY invoice_state_past_due
                    JOIN invoices i ON i.id = s.invoice_id
                    WHERE s.status = 'Due' AND s.past_due_at <= ? ORDER BY s.past_due_at LIMIT 100
                    """).bind(.integer(now)).all { $0.text(0) }
                if !result.sampleNumbers.isEmpty {
                    try db.cached("""
                        INSERT INTO invoice_history (invoice_id, at, type)
                        SELECT invoice_id, ?1, 'past_due' FROM invoice_state INDEXED BY invoice_state_past_due
                        WHERE status = 'Due' AND past_due_at <= ?1
                        """).bind(.integer(now)).run()
                    try db.cached(Store.sweepUpdate).bind(.integer(now), .bool(!dunning.days.isEmpty)).run()
                    result.markedPastDue = db.changes
                }
                result.reminders = try queueReminders(now: now, dunning: dunning, db: db)
                return result
            }
        }
    }

    /// Reminder N is queued once per invoice: the level is stored with the invoice, the outbox key names the
    /// level, and both change in the same transaction.
    private func queueReminders(now: Int64, dunning: DunningSchedule, db: SQLiteConnection) throws
        -> [(number: String, level: Int, skipped: [Int])] {
        let due = try db.cached("""
            SELECT s.invoice_id, i.number, i.due_date, i.time_zone, s.dunning_level, i.customer_id
            FROM invoice_state s INDEXED BY invoice_state_reminders JOIN invoices i ON i.id = s.invoice_id
            WHERE s.status = 'PastDue' AND s.next_reminder_at <= ? ORDER BY s.next_reminder_at
            """).bind(.integer(now)).all { row in
            (id: row.int64(0), number: row.text(1), dueDate: row.text(2), zone: row.text(3), level: row.int(4),
             customer: row.int64(5))
        }
        let nowDate = Date(timeIntervalSince1970: TimeInterval(now))
        var queued: [(number: String, level: Int, skipped: [Int])] = []
        let update = try db.cached("UPDATE invoice_state SET dunning_level = ?, next_reminder_at = ? WHERE invoice_id = ?")
        for invoice in due {
            guard let dueDate = LocalDate(iso: invoice.dueDate), let zone = TimeZone(identifier: invoice.zone) else {
                // A row edited by another program: stop reminding rather than guess, and say so.
                try History.add(invoice.id, "reminder_failed", at: now, errorCode: BillingError.Code.invalidStoredRow.rawValue,
                                errorMessage: "due_date or time_zone is invalid; no reminders are sent", db: db)
                try update.bind(.int(invoice.level), .null, .integer(invoice.id)).run()
                continue
            }
            var level = invoice.level
            if let (send, skipped) = dunning.due(after: level, dueDate: dueDate, in: zone, at: nowDate) {
                for passed in skipped {
                    try History.add(invoice.id, "reminder_skipped", at: now,
                                    detail: "reminder \(passed) passed over: a later reminder was already due", db: db)
                }
                let customer = try db.cached(CustomerRow.byID).bind(.integer(invoice.customer))
                    .first(CustomerRow.decode) ?? Customer(guid: "unknown")
                let plan = NotificationPolicy.plan(kind: "reminder_\(send)", for: customer)
                for intent in plan.intents {
                    try Outbox.enqueue(intent, invoiceID: invoice.id, at: now, db: db)
                }
                for skip in plan.skipped {
                    try History.add(invoice.id, "notification_skipped", at: now, channel: skip.channel.rawValue,
                                    errorCode: skip.code.rawValue, errorMessage: skip.reason, detail: "reminder_\(send)", db: db)
                }
                try History.add(invoice.id, "reminder_queued", at: now, detail: "reminder \(send)", db: db)
                level = send
                queued.append((invoice.number, send, skipped))
            }
            let next = dunning.instant(level: level + 1, dueDate: dueDate, in: zone)
            try update.bind(.int(level), .int64(next.map { Int64($0.timeIntervalSince1970.rounded(.up)) }),
                            .integer(invoice.id)).run()
        }
        return queued
    }

    /// The earliest instant at which billing work becomes due: a template run, a past-due boundary or a reminder.
    public func nextBillingWakeAt() throws -> Int64? {
        try read { db in try nextBillingWakeAt(db) }
    }

    /// The earliest instant at which an outbox message becomes due: a pending message's next attempt or a claimed
    /// message's lease running out.
    public func nextOutboxWakeAt() throws -> Int64? {
        try read { db in try nextOutboxWakeAt(db) }
    }

    /// Each minimum must be one seek into its partial index, never a walk through every Due invoice (133 ms at a
    /// million when SQLite chose the old `invoices_status`), so the indexes are named.
    static let nextBillingWake = """
        SELECT min(t) FROM (
            SELECT min(next_run_at) AS t FROM templates INDEXED BY templates_due WHERE status = 'active'
            UNION ALL SELECT min(past_due_at) FROM invoice_state INDEXED BY invoice_state_past_due WHERE status = 'Due'
            UNION ALL SELECT min(next_reminder_at) FROM invoice_state INDEXED BY invoice_state_reminders
                WHERE status = 'PastDue' AND next_reminder_at IS NOT NULL)
        """

    /// Two seeks: the first pending entry of `outbox_due` (past the claimed rows, at most the batches in flight) and
    /// the first lease of `outbox_leases` (migration `007_outbox_leases`).
    static let nextOutboxWake = """
        SELECT min(t) FROM (
            SELECT min(next_attempt_at) AS t FROM outbox INDEXED BY outbox_due
                WHERE status IN ('pending', 'sending') AND status = 'pending'
            UNION ALL SELECT min(lease_until) FROM outbox INDEXED BY outbox_leases WHERE status = 'sending')
        """

    func nextBillingWakeAt(_ db: SQLiteConnection) throws -> Int64? {
        try db.cached(Store.nextBillingWake).scalarInt()
    }

    func nextOutboxWakeAt(_ db: SQLiteConnection) throws -> Int64? {
        try db.cached(Store.nextOutboxWake).scalarInt()
    }

    /// SQLite's plans for `nextBillingWakeAt` and `nextOutboxWakeAt`, for tests.
    public func nextWakeQueryPlans() throws -> (billing: [String], outbox: [String]) {
        try read { db in
            (try db.prepare("EXPLAIN QUERY PLAN \(Store.nextBillingWake)").all { $0.text(3) },
             try db.prepare("EXPLAIN QUERY PLAN \(Store.nextOutboxWake)").all { $0.text(3) })
        }
    }
}
