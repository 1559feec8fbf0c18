import Foundation
import Testing
@testable import BillingDomain

/// `InvoiceFactory.invoice`: the dates, service period, past-due instant and notifications of a run's invoice.
@Suite struct GenerationTests {
    static func template(
        _ runDate: LocalDateTime, _ repeatVery: String = "Monthly", zone: String = "Europe/Stockholm",
        dueDays: Int = 30, currency: String = "SEK"
    ) throws -> RecurringTemplate {
        RecurringTemplate(
            id: 7, recordGuid: "T-7", customerGuid: "C-42", currency: moneyCurrency(currency),
            currencyRate: moneyDecimal("1.25"), dueDays: dueDays, customerNotes: "Thanks!",
            customerReference: "PO-991", repeatVery: repeatVery, recurrence: try Recurrence.parse(repeatVery),
            runDate: runDate, timeZone: ScheduleFixtures.zone(zone),
            lines: [TemplateLine(lineGuid: "L-1", productDescription: "Support", quantity: moneyDecimal("2"),
                                 unitPrice: moneyDecimal("100.00"), taxRate: moneyDecimal("25"))])
    }

    static let customer = Customer(id: 42, guid: "C-42", email: "anna@example.se", mobilePhone: "+46701234567",
                                   smsConsent: true, language: "sv")

    static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 9, _ minute: Int = 0) -> LocalDateTime {
        LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: 0)!
    }

    static func invoice(_ template: RecurringTemplate, run index: Int, customer: Customer = customer) throws -> NewInvoice {
        let run = try #require(template.schedule.run(index))
        return InvoiceFactory.invoice(for: template, run: run, calculation: try template.calculate(), customer: customer,
                                      issuedOn: run.local.date)
    }

    // MARK: Issue and due dates

    @Test func issueDateIsTheRunsLocalDateAndDueDateIsDueDaysLaterAcrossAMonthEnd() throws {
        let template = try Self.template(Self.at(2026, 1, 25), dueDays: 14)
        let first = try Self.invoice(template, run: 0)
        #expect(first.issueDate.description == "2026-01-25")
        #expect(first.dueDate.description == "2026-02-08")
        let second = try Self.invoice(template, run: 1)
        #expect(second.issueDate.description == "2026-02-25")
        #expect(second.dueDate.description == "2026-03-11")      // February 2026 has 28 days
    }

    @Test(arguments: [
        ("2028-02-15", 14, "2028-02-29"),     // lands on the leap day
        ("2028-02-20", 10, "2028-03-01"),     // crosses it
        ("2027-02-15", 14, "2027-03-01"),     // no leap day in 2027
        ("2028-12-20", 30, "2029-01-19"),     // crosses a year end
        ("2028-02-29", 0, "2028-02-29"),      // DueDays 0: due on issue
    ])
    func dueDateCountsCalendarDaysIncludingTheLeapDay(issue: String, dueDays: Int, due: String) throws {
        let date = ScheduleFixtures.date(issue)
        let template = try Self.template(Self.at(date.year, date.month, date.day), dueDays: dueDays)
        let invoice = try Self.invoice(template, run: 0)
        #expect(invoice.issueDate.description == issue)
        #expect(invoice.dueDate.description == due)
    }

    @Test func issueDateIsTheLocalDateNotTheUTCDate() throws {
        // 09:00 in Auckland is the previous day in UTC; 23:30 in Los Angeles is the next day in UTC.
        let auckland = try Self.invoice(Self.template(Self.at(2026, 1, 6), zone: "Pacific/Auckland"), run: 0)
        #expect(auckland.run.instant == ScheduleFixtures.instant("2026-01-05T20:00:00Z"))
        #expect(auckland.issueDate.description == "2026-01-06")
        let losAngeles = try Self.invoice(Self.template(Self.at(2026, 2, 21, 23, 30), zone: "America/Los_Angeles"), run: 0)
        #expect(losAngeles.run.instant == ScheduleFixtures.instant("2026-02-22T07:30:00Z"))
        #expect(losAngeles.issueDate.description == "2026-02-21")
    }

    // MARK: Past due

    @Test(arguments: [
        // zone, run date, DueDays, due date, first past-due instant (start of the next local day)
        ("Pacific/Auckland", "2026-01-06", 14, "2026-01-20", "2026-01-20T11:00:00Z"),   // NZDT +13
        ("Pacific/Auckland", "2026-06-01", 14, "2026-06-15", "2026-06-15T12:00:00Z"),   // NZST +12
        ("Pacific/Auckland", "2026-03-22", 14, "2026-04-05", "2026-04-05T12:00:00Z"),   // day after DST ends
        ("America/Los_Angeles", "2026-02-21", 14, "2026-03-07", "2026-03-08T08:00:00Z"), // PST, DST starts 03-08
        ("America/Los_Angeles", "2026-10-17", 14, "2026-10-31", "2026-11-01T07:00:00Z"), // PDT, DST ends 11-01
        ("America/Los_Angeles", "2026-07-01", 30, "2026-07-31", "2026-08-01T07:00:00Z"),
    ])
    func pastDueAtIsTheStartOfTheDayAfterTheDueDateInTheTemplatesZone(
        zone: String, runDate: String, dueDays: Int, due: String, pastDue: String
    ) throws {
        let date = ScheduleFixtures.date(runDate)
        let template = try Self.template(Self.at(date.year, date.month, date.day), zone: zone, dueDays: dueDays)
        let invoice = try Self.invoice(template, run: 0)
        #expect(invoice.dueDate.description == due)
        #expect(invoice.pastDueAt == ScheduleFixtures.instant(pastDue))
        #expect(invoice.pastDueAt == invoice.dueDate.adding(days: 1).startInstant(in: ScheduleFixtures.zone(zone)))
        #expect(invoice.timeZone.identifier == zone)
        // The whole due date is still on time: its last second is before pastDueAt.
        #expect(invoice.pastDueAt.addingTimeInterval(-1) >= invoice.dueDate.startInstant(in: ScheduleFixtures.zone(zone)))
    }

    @Test func pastDueAtDependsOnTheTemplatesZoneNotOnUTC() throws {
        let auckland = try Self.invoice(Self.template(Self.at(2026, 6, 1), zone: "Pacific/Auckland", dueDays: 14), run: 0)
        let losAngeles = try Self.invoice(Self.template(Self.at(2026, 6, 1), zone: "America/Los_Angeles", dueDays: 14), run: 0)
        #expect(auckland.dueDate == losAngeles.dueDate)
        // Same due date, 19 hours apart: +12 versus −7.
        #expect(losAngeles.pastDueAt.timeIntervalSince(auckland.pastDueAt) == 19 * 3600)
    }

    // MARK: Service period

    @Test func monthlyPeriodFromJanuary31EndsTheDayBeforeTheClampedNextRun() throws {
        let template = try Self.template(Self.at(2026, 1, 31))
        let january = try Self.invoice(template, run: 0)
        #expect(january.periodStart.description == "2026-01-31")
        #expect(january.periodEnd.description == "2026-02-27")
        let february = try Self.invoice(template, run: 1)
        #expect(february.periodStart.description == "2026-02-28")
        #expect(february.periodEnd.description == "2026-03-30")
        let march = try Self.invoice(template, run: 2)
        #expect(march.periodStart.description == "2026-03-31")
        #expect(march.periodEnd.description == "2026-04-29")
    }

    @Test func monthlyPeriodInALeapYearIncludesFebruary28() throws {
        let template = try Self.template(Self.at(2028, 1, 31))
        #expect(try Self.invoice(template, run: 0).periodEnd.description == "2028-02-28")
        let february = try Self.invoice(template, run: 1)
        #expect(february.periodStart.description == "2028-02-29")
        #expect(february.periodEnd.description == "2028-03-30")
    }

    @Test(arguments: [
        ("Weekly", "2026-01-05", "2026-01-11"),
        ("Fortnightly", "2026-12-28", "2027-01-10"),
        ("Daily", "2026-03-01", "2026-03-01"),
        ("Quarterly", "2026-11-30", "2027-02-27"),
        ("Yearly", "2028-02-29", "2029-02-27"),
    ])
    func periodRunsToTheDayBeforeTheNextRun(repeatVery: String, start: String, end: String) throws {
        let date = ScheduleFixtures.date(start)
        let invoice = try Self.invoice(Self.template(Self.at(date.year, date.month, date.day), repeatVery), run: 0)
        #expect(invoice.periodStart.description == start)
        #expect(invoice.periodEnd.description == end)
    }

    // MARK: Copied fields and notifications

    @Test func invoiceCarriesTheTemplatesAndCustomersFields() throws {
        let template = try Self.template(Self.at(2026, 1, 31), currency: "EUR")
        let calculation = try template.calculate()
        let invoice = try Self.invoice(template, run: 3)
        #expect(invoice.templateId == 7)
        #expect(invoice.customerId == 42)
        #expect(invoice.run.index == 3)
        #expect(invoice.run == template.schedule.run(3))
        #expect(invoice.currency.code == "EUR")
        #expect(invoice.currencyRate == moneyDecimal("1.25"))
        #expect(invoice.lines == template.lines)
        #expect(invoice.calculation == calculation)
        #expect(invoice.calculation.totals == InvoiceTotals(excVat: 20_000, vat: 5_000, incVat: 25_000, cost: 0))
        #expect(invoice.customerNotes == "Thanks!")
        #expect(invoice.customerReference == "PO-991")
    }

    @Test func notificationsAreInvoiceIssuedMessagesChosenByTheNotificationPolicy() throws {
        let invoice = try Self.invoice(Self.template(Self.at(2026, 1, 31)), run: 0)
        #expect(invoice.notifications == [
            NotificationIntent(channel: .email, kind: "invoice_issued", recipient: "anna@example.se", language: "sv"),
            NotificationIntent(channel: .sms, kind: "invoice_issued", recipient: "+46701234567", language: "sv"),
        ])
        #expect(invoice.skippedNotifications.isEmpty)
    }

    @Test func channelsTheCustomerCannotBeReachedOnAreRecordedAsSkipped() throws {
        let unreachable = Customer(id: 43, guid: "C-43", email: "bo@example.se", mobilePhone: "+46709999999",
                                   emailConsent: false, smsConsent: false)
        let invoice = try Self.invoice(Self.template(Self.at(2026, 1, 31)), run: 0, customer: unreachable)
        #expect(invoice.customerId == 43)
        #expect(invoice.notifications.isEmpty)
        #expect(invoice.skippedNotifications.map(\.channel) == [.email, .sms])
        #expect(invoice.skippedNotifications.map(\.code) == [.noConsent, .noConsent])
    }
}
