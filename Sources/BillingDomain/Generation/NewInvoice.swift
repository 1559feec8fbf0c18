import Foundation

/// An invoice for one scheduled run of a template, fully computed, before it has a number.
///
/// The store writes it, its lines, VAT rows, history and outbox rows, and the template's advance in one
/// transaction; the number and payment reference are assigned there, so a rolled-back invoice leaves no gap.
public struct NewInvoice: Sendable {
    public var templateId: Int64
    public var customerId: Int64
    public var run: ScheduledRun
    public var issueDate: LocalDate
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
    public var notifications: [NotificationIntent]
    public var skippedNotifications: [NotificationSkip]
}

public enum InvoiceFactory {
    /// The invoice a template's run produces. The issue date is the run's local date (so a late catch-up and a
    /// preview agree); the due date is DueDays later; the service period runs to the day before the next run.
    public static func invoice(
        for template: RecurringTemplate, run: ScheduledRun, calculation: InvoiceCalculation, customer: Customer
    ) -> NewInvoice {
        let issueDate = run.local.date
        let dueDate = issueDate.adding(days: template.dueDays)
        let nextDate = template.schedule.localRun(run.index + 1).date
        let notices = NotificationPolicy.plan(kind: "invoice_issued", for: customer)
        return NewInvoice(
            templateId: template.id ?? 0, customerId: customer.id ?? 0, run: run, issueDate: issueDate,
            dueDate: dueDate, pastDueAt: dueDate.adding(days: 1).startInstant(in: template.timeZone),
            periodStart: issueDate, periodEnd: max(issueDate, nextDate.adding(days: -1)),
            timeZone: template.timeZone, currency: template.currency, currencyRate: template.currencyRate,
            lines: template.lines, calculation: calculation, customerNotes: template.customerNotes,
            customerReference: template.customerReference, notifications: notices.intents,
            skippedNotifications: notices.skipped)
    }
}
