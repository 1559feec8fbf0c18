import BillingDomain
import BillingStore
import Foundation
import Logging

/// What one recurring run did.
public struct RecurringRunReport: Sendable {
    public var generated: [GenerationResult.Generated] = []
    public var alreadyInvoiced = 0
    public var skippedRuns = 0
    public var paused: [(templateId: Int64, reason: String)] = []
    public var refused: [GenerationResult.Refused] = []
}

/// The recurring run: turns every due template run into an invoice, exactly once.
///
/// The one entry point for the scheduler, `billingctl run` and `billingd --once`. Runs are serialised by the
/// engine's job lock; exactly-once does not depend on it (the store refuses a second invoice for the same
/// template and run), but serialising keeps invoice numbers in run order.
struct RecurringRun {
    /// Templates per transaction: large enough to amortise the commit, small enough that the writer is released
    /// often for control requests.
    static let batchSize = 2_000
    /// Runs per template per transaction during a catch-up: a long catch-up commits in steps.
    static let runsPerPass = 16

    let engine: BillingEngine

    func run(onlyTemplate reference: String? = nil) throws -> RecurringRunReport {
        let configuration = engine.configuration
        let format = try InvoiceNumberFormat(configuration.invoiceNumberFormat)
        var report = RecurringRunReport()
        // Invoices generated per template during this run, so catch_up_limit bounds the whole wake, not one pass.
        var generatedSoFar: [Int64: Int] = [:]
        var onlyID: Int64?
        if let reference {
            onlyID = try engine.store.template(reference).id
        }
        // Each pass advances or pauses every template it touches, so due templates run out; the bound only
        // protects against a store that keeps answering the same ids.
        for _ in 0..<100_000 {
            let now = engine.clock.now()
            let nowSeconds = Int64(now.timeIntervalSince1970.rounded(.down))
            let ids = try engine.store.dueTemplateIDs(at: nowSeconds, limit: Self.batchSize, only: onlyID)
            if ids.isEmpty { break }
            let soFar = generatedSoFar
            let result = try engine.store.generate(templateIDs: ids, now: nowSeconds, numberFormat: format) {
                template, customer in
                try Self.plan(template, customer: customer, now: now, configuration: configuration,
                              alreadyThisWake: soFar[template.id ?? 0] ?? 0)
            }
            for invoice in result.generated { generatedSoFar[invoice.templateId, default: 0] += 1 }
            record(result, into: &report)
        }
        return report
    }

    static func plan(_ template: RecurringTemplate, customer: Customer, now: Date,
                     configuration: Configuration, alreadyThisWake: Int) throws -> TemplatePlan {
        let calculation = try template.calculate()
        let catchUp = CatchUpPlan.plan(
            schedule: template.schedule, nextRunIndex: template.nextRunIndex, now: now,
            policy: configuration.catchUpPolicy, limit: configuration.catchUpLimit - alreadyThisWake,
            passCap: runsPerPass)
        let today = ZoneResolution.local(of: now, in: template.timeZone).date
        let invoices = catchUp.generate.map {
            InvoiceFactory.invoice(for: template, run: $0, calculation: calculation, customer: customer, issuedOn: today)
        }
        return TemplatePlan(invoices: invoices, nextRunIndex: catchUp.nextRunIndex, skipped: catchUp.skipped,
                            pauseReason: catchUp.pauseReason)
    }

    private func record(_ result: GenerationResult, into report: inout RecurringRunReport) {
        let logger = engine.logger
        for invoice in result.generated {
            logger.info("invoice generated", metadata: [
                "invoice_number": "\(invoice.number)", "template_id": "\(invoice.templateId)",
                "customer_guid": "\(invoice.customerGuid)", "run_index": "\(invoice.runIndex)",
                "message_id": "\(JournalMessageID.invoiceGenerated)",
            ])
        }
        engine.metrics.invoicesGenerated(result.generated.count)
        for (templateID, reason) in result.paused {
            logger.warning("template paused: \(reason)", metadata: [
                "template_id": "\(templateID)", "message_id": "\(JournalMessageID.templatePaused)",
            ])
        }
        for refused in result.refused {
            logger.error("template skipped: \(refused.error.message)", metadata: [
                "template_id": "\(refused.templateId)", "error_code": "\(refused.error.code)",
                "message_id": "\(JournalMessageID.templatePaused)",
            ])
        }
        if result.alreadyInvoiced > 0 {
            logger.notice("\(result.alreadyInvoiced) runs were already invoiced and were not billed again")
        }
        report.generated += result.generated
        report.alreadyInvoiced += result.alreadyInvoiced
        report.skippedRuns += result.skippedRuns
        report.paused += result.paused
        report.refused += result.refused
    }
}
