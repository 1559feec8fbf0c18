import BillingDomain
import Foundation
import Testing

@Suite("Invoice life cycle")
struct InvoiceLifecycleTests {
    /// Every (action, status) pair with its outcome: a status, "deleted", or refused.
    static let table: [(InvoiceAction, InvoiceStatus, String)] = [
        (.publish, .draft, "Due"), (.publish, .due, "refused"), (.publish, .pastDue, "refused"),
        (.publish, .paid, "refused"), (.publish, .canceled, "refused"),
        (.markPastDue, .draft, "refused"), (.markPastDue, .due, "PastDue"), (.markPastDue, .pastDue, "refused"),
        (.markPastDue, .paid, "refused"), (.markPastDue, .canceled, "refused"),
        (.payPartially, .draft, "refused"), (.payPartially, .due, "Due"), (.payPartially, .pastDue, "PastDue"),
        (.payPartially, .paid, "refused"), (.payPartially, .canceled, "refused"),
        (.payInFull, .draft, "refused"), (.payInFull, .due, "Paid"), (.payInFull, .pastDue, "Paid"),
        (.payInFull, .paid, "refused"), (.payInFull, .canceled, "refused"),
        (.cancel, .draft, "refused"), (.cancel, .due, "Canceled"), (.cancel, .pastDue, "Canceled"),
        (.cancel, .paid, "refused"), (.cancel, .canceled, "refused"),
        (.delete, .draft, "deleted"), (.delete, .due, "refused"), (.delete, .pastDue, "refused"),
        (.delete, .paid, "refused"), (.delete, .canceled, "refused"),
    ]

    @Test func tableCoversEveryActionAndStatus() {
        #expect(Self.table.count == InvoiceAction.allCases.count * InvoiceStatus.allCases.count)
    }

    @Test(arguments: table.indices)
    func onlyTheDocumentedTransitionsAreAllowed(_ index: Int) throws {
        let (action, status, expected) = Self.table[index]
        if expected == "refused" {
            let error = try #require(throws: BillingError.self) { try InvoiceLifecycle.apply(action, to: status) }
            #expect(error.code == .invalidTransition)
            #expect(error.message.contains(status.rawValue), "the message names the current status")
        } else {
            let result = try InvoiceLifecycle.apply(action, to: status)
            #expect(result?.rawValue ?? "deleted" == expected)
        }
    }

    @Test func anInvoiceWithPaymentsCannotBeCanceled() throws {
        for status in [InvoiceStatus.due, .pastDue] {
            let error = try #require(throws: BillingError.self) { try InvoiceLifecycle.apply(.cancel, to: status, paid: 1) }
            #expect(error.code == .invalidTransition)
        }
    }

    @Test func paymentRulesRefuseNonPositiveOverPaymentsAndExtraDecimals() throws {
        let sek = Currency(code: "SEK")!
        let jpy = Currency(code: "JPY")!
        #expect(try PaymentRules.amount("12.50", currency: sek) == 1250)
        #expect(try PaymentRules.amount("1000", currency: jpy) == 1000)
        for (text, currency) in [("12.505", sek), ("10.5", jpy), ("12,50", sek), ("1e3", sek), ("", sek)] {
            #expect(throws: BillingError.self) { try PaymentRules.amount(text, currency: currency) }
        }
        #expect(try PaymentRules.action(for: 500, balance: 1000, currency: sek) == .payPartially)
        #expect(try PaymentRules.action(for: 1000, balance: 1000, currency: sek) == .payInFull)
        for amount: Int64 in [0, -1, 1001] {
            let error = try #require(throws: BillingError.self) {
                try PaymentRules.action(for: amount, balance: 1000, currency: sek)
            }
            #expect(error.code == .invalidAmount)
        }
    }
}

@Suite("Dunning schedule")
struct DunningScheduleTests {
    let schedule = DunningSchedule(days: [1, 7, 14])
    let zone = TimeZone(identifier: "Pacific/Auckland")!
    let dueDate = LocalDate(year: 2027, month: 3, day: 10)!

    func at(_ date: LocalDate, hour: Int = 0) -> Date {
        ZoneResolution.instant(for: LocalDateTime(date: date, time: LocalTime(hour: hour, minute: 0)!), in: zone).instant
    }

    @Test func reminderNFallsDueAtTheStartOfItsDayInTheInvoicesZone() {
        #expect(schedule.instant(level: 1, dueDate: dueDate, in: zone) == at(dueDate.adding(days: 1)))
        #expect(schedule.instant(level: 3, dueDate: dueDate, in: zone) == at(dueDate.adding(days: 14)))
        #expect(schedule.instant(level: 4, dueDate: dueDate, in: zone) == nil)
    }

    @Test func nothingIsDueOnTheDueDateItself() {
        #expect(schedule.due(after: 0, dueDate: dueDate, in: zone, at: at(dueDate, hour: 23)) == nil)
    }

    @Test func eachLevelIsDueOnceInOrder() throws {
        let first = try #require(schedule.due(after: 0, dueDate: dueDate, in: zone, at: at(dueDate.adding(days: 1))))
        #expect(first.send == 1 && first.skipped.isEmpty)
        #expect(schedule.due(after: 1, dueDate: dueDate, in: zone, at: at(dueDate.adding(days: 6))) == nil)
        #expect(schedule.due(after: 1, dueDate: dueDate, in: zone, at: at(dueDate.adding(days: 7)))?.send == 2)
    }

    @Test func afterDowntimeOnlyTheLatestLevelIsSentAndTheOthersAreReportedSkipped() throws {
        let late = try #require(schedule.due(after: 0, dueDate: dueDate, in: zone, at: at(dueDate.adding(days: 30))))
        #expect(late.send == 3)
        #expect(late.skipped == [1, 2])
        #expect(schedule.due(after: 3, dueDate: dueDate, in: zone, at: at(dueDate.adding(days: 300))) == nil)
    }
}
