import Foundation

/// An invoice for one scheduled run of a template, fully computed, before it has a number.
///
/// The store writes it, its lines, VAT rows, history and outbox rows, and the template's advance in one
/// transaction; the number and payment reference are assigned there, so a rolled-back invoice leaves no gap.
public struct NewInvoice: Sendable {
    public var templateId: Int64
    public var customerId: Int64
    public var run: ScheduledRun
    /// The day the invoice is generated, in the template's zone: its date of issue, the start of its payment term
    /// and what its number series follows.
    public var issueDate: LocalDate
    /// The run's local date: when the supply it bills took place (the start of the service period).
    public var supplyDate: LocalDate
    public var dueDate: LocalDate
    /// The first instant after the due date in the invoice's zone: from then on an unpaid invoice is past due.
    public var pastDueAt: Date
    public var periodStart: LocalDate
    public var periodEnd: LocalDate
    public var timeZone: TimeZone
    public var currency: Currency
    public var currencyRate: DecimalValue
    public var lines: [TemplateLine]
    public var calculation: InvoiceCalculation
    public var customerNotes: String?
    public var customerReference: String?
    public var buyer: InvoiceBuyer
    /// Due, or Paid for a 0.00 invoice (see `InvoiceLifecycle.statusAtIssue`).
    public var status: InvoiceStatus
    public var notifications: [NotificationIntent]
    public var skippedNotifications: [NotificationSkip]
}

public enum InvoiceFactory {
    /// The invoice a template's run produces when it is generated on `issuedOn` (a local date in the template's
    /// zone).
    ///
    /// The supply date is the run's local date and the service period runs from it to the day before the next
    /// run. The issue date is the local date of generation (never before the run's): a late catch-up is issued
    /// on the day it is made, never back-dated into a VAT period that may already be declared (EU VAT Directive
    /// art. 226 asks for the date of issue, and the supply date where it differs). On time the two are the same
    /// day, which is what `preview` shows by passing the run's own date. The due date is DueDays after issue.
    public static func invoice(
        for template: RecurringTemplate, run: ScheduledRun, calculation: InvoiceCalculation, customer: Customer,
        issuedOn: LocalDate
    ) -> NewInvoice {
        let supplyDate = run.local.date
        let issueDate = max(supplyDate, issuedOn)
        let dueDate = issueDate.adding(days: template.dueDays)
        let nextDate = template.schedule.localRun(run.index + 1).date
        let notices = NotificationPolicy.plan(kind: "invoice_issued", for: customer)
        return NewInvoice(
            templateId: template.id ?? 0, customerId: customer.id ?? 0, run: run, issueDate: issueDate,
            supplyDate: supplyDate, dueDate: dueDate,
            pastDueAt: dueDate.adding(days: 1).startInstant(in: template.timeZone),
            periodStart: supplyDate, periodEnd: max(supplyDate, nextDate.adding(days: -1)),
            timeZone: template.timeZone, currency: template.currency, currencyRate: template.currencyRate,
            lines: template.lines, calculation: calculation, customerNotes: template.customerNotes,
            customerReference: template.customerReference, buyer: InvoiceBuyer(customer),
            status: InvoiceLifecycle.statusAtIssue(totalIncVat: calculation.totals.incVat),
            notifications: notices.intents, skippedNotifications: notices.skipped)
    }
}
