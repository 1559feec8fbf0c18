import BillingDomain
import Foundation

/// What the engine decided for one due template.
public struct TemplatePlan: Sendable {
    public var invoices: [NewInvoice]
    public var nextRunIndex: Int
    public var skipped: Range<Int>?
    public var pauseReason: String?

    public init(invoices: [NewInvoice], nextRunIndex: Int, skipped: Range<Int>?, pauseReason: String?) {
        self.invoices = invoices
        self.nextRunIndex = nextRunIndex
        self.skipped = skipped
        self.pauseReason = pauseReason
    }
}

/// What one generation batch did.
public struct GenerationResult: Sendable {
    public struct Generated: Sendable, Equatable {
        public var number: String
        public var invoiceId: Int64
        public var templateId: Int64
        public var runIndex: Int
        public var totalIncVat: Int64
        public var currency: String
        /// The billed customer, for the journal's CUSTOMER_GUID field.
        public var customerGuid = ""
    }

    public struct Refused: Sendable {
        public var templateId: Int64
        public var error: BillingError
    }

    public var generated: [Generated] = []
    /// Runs that already had an invoice (a re-run after a crash or a second trigger): not billed again.
    public var alreadyInvoiced = 0
    public var skippedRuns = 0
    public var paused: [(templateId: Int64, reason: String)] = []
    /// Templates whose stored rows could not be used; they were paused with an event.
    public var refused: [Refused] = []
}

extension Store {
    /// Active templates whose next run is due at `now`, earliest first; with `only`, that template if it is due
    /// (asked for itself: it may be anywhere in the queue of due templates).
    public func dueTemplateIDs(at now: Int64, limit: Int, only templateID: Int64?) throws -> [Int64] {
        try read { db in
            if let templateID {
                return try db.cached("""
                    SELECT id FROM templates WHERE id = ? AND status = 'active' AND next_run_at <= ?
                    """).bind(.integer(templateID), .integer(now)).all { $0.int64(0) }
            }
            return try db.cached("""
                SELECT id FROM templates WHERE status = 'active' AND next_run_at <= ? ORDER BY next_run_at, id LIMIT ?
                """).bind(.integer(now), .integer(Int64(limit))).all { $0.int64(0) }
        }
    }

    /// Generates the planned invoices of `templateIDs` in one transaction.
    ///
    /// A failure in one template never rolls back or blocks the others. Loading and planning a template write
    /// nothing, so a template refused there (an invalid stored row, an amount out of range) is paused and the
    /// batch goes on. A failure while writing a template's invoices (a constraint violated by rows another
    /// program wrote) rolls the batch back, and the batch is redone with a savepoint around each template, so
    /// only that template is refused. The fast path has no savepoints because they cost a third of the
    /// throughput (statement journals), and such write failures are rare.
    ///
    /// An invoice whose (template, run) already exists is dropped before it takes a number, so numbers stay
    /// gapless and nothing is billed twice. The template's next run advances in the same transaction as its
    /// invoices. Series counters are read once per batch, advanced in memory and written back before the commit.
    public func generate(
        templateIDs: [Int64], now: Int64, numberFormat: InvoiceNumberFormat,
        plan: (RecurringTemplate, Customer) throws -> TemplatePlan
    ) throws -> GenerationResult {
        do {
            return try generate(templateIDs: templateIDs, now: now, numberFormat: numberFormat, plan: plan,
                                isolated: false)
        } catch let error as BillingError where error.code == .constraintViolated {
            return try generate(templateIDs: templateIDs, now: now, numberFormat: numberFormat, plan: plan,
                                isolated: true)
        }
    }

    private func generate(
        templateIDs: [Int64], now: Int64, numberFormat: InvoiceNumberFormat,
        plan: (RecurringTemplate, Customer) throws -> TemplatePlan, isolated: Bool
    ) throws -> GenerationResult {
        try write { db in
            try db.transaction {
                var result = GenerationResult()
                let numbers = NumberAllocator()
                for id in templateIDs {
                    let decided: (RecurringTemplate, TemplatePlan)?
                    do {
                        decided = try prepare(templateID: id, db: db, plan: plan)
                    } catch let error as BillingError where error.code != .storageError {
                        try pauseRefused(templateID: id, error: error, db: db, now: now)
                        result.refused.append(.init(templateId: id, error: error))
                        continue
                    }
                    guard let (template, decision) = decided else { continue }
                    guard isolated else {
                        try write(template, decision, db: db, now: now, numberFormat: numberFormat, numbers: numbers,
                                  result: &result)
                        continue
                    }
                    let numbersBefore = numbers.snapshot()
                    let before = result
                    do {
                        try db.savepoint(.template) {
                            try write(template, decision, db: db, now: now, numberFormat: numberFormat,
                                      numbers: numbers, result: &result)
                        }
                    } catch let error as BillingError where error.code != .storageError {
                        // The template's invoices were rolled back: so are their numbers and their report lines.
                        numbers.restore(numbersBefore)
                        result = before
                        try pauseRefused(templateID: id, error: error, db: db, now: now)
                        result.refused.append(.init(templateId: id, error: error))
                    }
                }
                try numbers.save(db: db)
                return result
            }
        }
    }

    /// Loads a due template and its customer and decides its invoices; writes nothing. nil when not active.
    private func prepare(
        templateID: Int64, db: SQLiteConnection, plan: (RecurringTemplate, Customer) throws -> TemplatePlan
    ) throws -> (RecurringTemplate, TemplatePlan)? {
        let template = try TemplateRow.load(id: templateID, db: db, validate: false)
        guard template.status == .active else { return nil }
        guard let customer = try db.cached(CustomerRow.byTemplate)
            .bind(.integer(templateID)).first(CustomerRow.decode) else {
            throw BillingError(.customerNotFound, "Template \(template.recordGuid) has no customer row.")
        }
        return (template, try plan(template, customer))
    }

    private func write(
        _ template: RecurringTemplate, _ decided: TemplatePlan, db: SQLiteConnection, now: Int64,
        numberFormat: InvoiceNumberFormat, numbers: NumberAllocator, result: inout GenerationResult
    ) throws {
        let templateID = template.id ?? 0
        var lastRun: LocalDateTime?
        var generated = 0
        for invoice in decided.invoices {
            if var made = try InvoiceWriter.insert(invoice, db: db, now: now, numberFormat: numberFormat, numbers: numbers) {
                made.customerGuid = template.customerGuid
                result.generated.append(made)
                generated += 1
                lastRun = invoice.run.local
            } else {
                result.alreadyInvoiced += 1
            }
        }
        var status = template.status
        var reason = template.statusReason
        let next = template.schedule.run(decided.nextRunIndex)
        if let pause = decided.pauseReason {
            status = .paused
            reason = pause
            result.paused.append((templateID, pause))
            try TemplateEvents.add(templateID, "paused", pause, db: db, now: now)
        } else if next == nil {
            status = .ended
            reason = "The schedule has no run left (EndDate or MaxRuns reached)."
            try TemplateEvents.add(templateID, "ended", reason!, db: db, now: now)
        }
        if let skipped = decided.skipped, !skipped.isEmpty {
            result.skippedRuns += skipped.count
            try TemplateEvents.add(
                templateID, "runs_skipped",
                "Runs \(skipped.lowerBound)…\(skipped.upperBound - 1) (\(skipped.count)) were skipped by the catch-up policy.",
                db: db, now: now)
        }
        try db.cached("""
            UPDATE templates SET next_run_index = ?, next_run_at = ?, next_run_date = ?,
                last_run_date = coalesce(?, last_run_date), runs_generated = runs_generated + ?, status = ?,
                status_reason = ?, updated_at = ?
            WHERE id = ?
            """).bind(
                .int(decided.nextRunIndex), .int64(next.map { Int64($0.instant.timeIntervalSince1970.rounded(.down)) }),
                .string(next?.local.description), .string(lastRun?.description), .int(generated),
                .text(status.rawValue), .string(reason), .integer(now), .integer(templateID)).run()
    }

    /// A template whose stored row cannot be billed is paused, so it neither blocks the others nor makes the
    /// scheduler wake for it again and again; the event says what is wrong.
    private func pauseRefused(templateID: Int64, error: BillingError, db: SQLiteConnection, now: Int64) throws {
        let reason = "Skipped and paused: \(error.message)"
        try db.cached("UPDATE templates SET status = 'paused', status_reason = ?, updated_at = ? WHERE id = ?")
            .bind(.text(reason), .integer(now), .integer(templateID)).run()
        if db.changes > 0 {
            try TemplateEvents.add(templateID, "invalid_row", reason, db: db, now: now)
        }
    }
}

enum TemplateEvents {
    static func add(_ templateID: Int64, _ type: String, _ message: String, db: SQLiteConnection, now: Int64) throws {
        try db.cached("INSERT INTO template_events (template_id, at, type, message) VALUES (?, ?, ?, ?)")
            .bind(.integer(templateID), .integer(now), .text(type), .text(message)).run()
    }
}
