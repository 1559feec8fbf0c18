import BillingDomain
import BillingStore
import Foundation

extension BillingEngine {
    /// The recurring run (see `RecurringRun`), for every due template or one. The drain wakes for the invoices'
    /// messages.
    public func runRecurring(onlyTemplate reference: String? = nil) throws -> RecurringRunReport {
        // A run that fails half-way may have committed batches, and their messages, before the failure.
        var queued = true
        defer { if queued { notifyChange(.outbox) } }
        let report = try jobLock.withLock { _ in
            defer { store.releaseMemory() }
            return try RecurringRun(engine: self).run(onlyTemplate: reference)
        }
        queued = !report.generated.isEmpty
        return report
    }

    /// The outbox drain (see `OutboxDrain`): every message due now.
    @discardableResult
    public func drainOutbox() throws -> OutboxDrainReport {
        try jobLock.withLock { _ in
            defer { store.releaseMemory() }
            return try OutboxDrain(engine: self).run()
        }
    }

    /// The billing part of a cycle: the recurring run, then the past-due sweep. What the scheduler runs at each
    /// wake; the messages they queue wake the drain.
    @discardableResult
    public func runBillingCycle() throws -> RecurringRunReport {
        let report = try runRecurring()
        try sweep()
        return report
    }

    /// One full cycle, the billing cycle and then the outbox drain: what `billingd --once` runs once.
    @discardableResult
    public func runCycle() throws -> RecurringRunReport {
        let report = try runBillingCycle()
        try drainOutbox()
        return report
    }

    /// The past-due sweep and dunning (see `BillingStorage.sweep`), for the scheduler, `billingctl sweep` and `--once`.
    /// The drain wakes for the reminders it queued.
    @discardableResult
    public func sweep() throws -> SweepResult {
        let result = try jobLock.withLock { _ in
            defer { store.releaseMemory() }
            return try sweepLocked()
        }
        if !result.reminders.isEmpty { notifyChange(.outbox) }
        return result
    }

    private func sweepLocked() throws -> SweepResult {
        let result = try store.sweep(now: clock.nowSeconds(), dunning: DunningSchedule(days: configuration.dunningDays))
        for number in result.sampleNumbers.prefix(result.markedPastDue) {
            logger.notice("invoice past due", metadata: [
                "invoice_number": "\(number)", "message_id": "\(JournalMessageID.invoicePastDue)",
            ])
        }
        if result.markedPastDue > result.sampleNumbers.count {
            logger.notice("\(result.markedPastDue) invoices marked past due in all")
        }
        for reminder in result.reminders {
            logger.info("reminder \(reminder.level) queued", metadata: [
                "invoice_number": "\(reminder.number)",
                "skipped_levels": "\(reminder.skipped.map(String.init).joined(separator: ","))",
            ])
        }
        return result
    }

    /// The one-line status for systemd's STATUS= and the journal. The next wake is a failed job's retry while its
    /// fault lasts (see `nextWake`).
    public func statusSummary(lastCycle report: RecurringRunReport? = nil) throws -> String {
        let snapshot = try store.statusSnapshot()
        let counts = snapshot.counts
        let next = nextWake(snapshot).map(ISO8601.formatUTC) ?? "nothing scheduled"
        var parts = ["next wake \(next)", "invoices due \(counts.invoices["Due"] ?? 0)",
                     "past due \(counts.invoices["PastDue"] ?? 0)", "outbox pending \(counts.outbox["pending"] ?? 0)"]
        if let report, !report.generated.isEmpty { parts.insert("generated \(report.generated.count)", at: 0) }
        return parts.joined(separator: "; ")
    }

    /// The next `count` runs of a template with dates and totals, computed exactly as generation would and
    /// writing nothing. The first run listed is the template's NextRunDate.
    public func preview(_ reference: String, count: Int) throws -> (RecurringTemplate, [NewInvoice]) {
        let template = try store.template(reference)
        let customer = try store.customer(guid: template.customerGuid)
        let calculation = try template.calculate()
        let runs = template.schedule.runs(from: template.nextRunIndex, count: count)
        return (template, runs.map {
            // The issue date a run gets when it is generated on time.
            InvoiceFactory.invoice(for: template, run: $0, calculation: calculation, customer: customer,
                                   issuedOn: $0.local.date)
        })
    }
}
