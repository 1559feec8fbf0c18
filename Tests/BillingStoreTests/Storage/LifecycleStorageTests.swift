import BillingDomain
import BillingStore
import Foundation
import Testing

/// The sweep, dunning, payments and cancellation on every store.
@Suite("Life-cycle storage operations")
struct LifecycleStorageTests {
    private let t0 = StorageFixture.t0
    /// 2027-02-15T00:00:00Z: the first instant after the due date (2027-02-14) of an invoice issued at t0.
    private let pastDue: Int64 = 1_802_649_600
    private let dunning = DunningSchedule(days: [1, 7])

    @Test(arguments: StorageSetup.all)
    func theSweepMarksAnInvoicePastDueOnceAndQueuesEachReminderOnce(_ setup: StorageSetup) throws {
        let store = try setup.open()
        let storage = store.storage
        let number = try #require(try StorageFixture.generateFirstRuns(storage, count: 1).first?.number)
        let early = try storage.sweep(now: pastDue - 1, dunning: dunning)
        #expect(early.markedPastDue == 0 && early.reminders.isEmpty)

        let swept = try storage.sweep(now: pastDue, dunning: dunning)
        #expect(swept.markedPastDue == 1 && swept.sampleNumbers == [number])
        #expect(swept.reminders.map(\.number) == [number] && swept.reminders.map(\.level) == [1])
        #expect(try storage.invoice(number: number).status == InvoiceStatus.pastDue.rawValue)
        let again = try storage.sweep(now: pastDue + 3_600, dunning: dunning)
        #expect(again.markedPastDue == 0 && again.reminders.isEmpty, "nothing is marked or reminded twice")

        let week = try storage.sweep(now: pastDue + 6 * 86_400, dunning: dunning)
        #expect(week.reminders.map(\.level) == [2])
        let history = try storage.invoice(number: number).history
        #expect(history.filter { $0.type == "past_due" }.map(\.detail) == ["due date 2027-02-14 passed unpaid"])
        #expect(history.filter { $0.type == "reminder_queued" }.map(\.detail) == ["reminder 1", "reminder 2"])
        #expect(try storage.outboxMessages(status: .pending).map(\.kind).sorted()
                == ["invoice_issued", "reminder_1", "reminder_2"])
        #expect(try storage.statusSnapshot().counts.invoices == ["PastDue": 1])
    }

    @Test(arguments: StorageSetup.all)
    func paymentsLowerTheBalanceAndTheLastOneClosesTheInvoice(_ setup: StorageSetup) throws {
        let store = try setup.open()
        let storage = store.storage
        let number = try #require(try StorageFixture.generateFirstRuns(storage, count: 1).first?.number)
        _ = try storage.sweep(now: pastDue, dunning: dunning)
        let request = PaymentRequest(number: number, amount: "25.00", type: .cash, refNo: "R-1", paymentDate: "2027-02-16")
        let partial = try storage.applyPayment(request, now: pastDue + 86_400, sendReceipt: true)
        #expect((partial.amount, partial.paid, partial.balance, partial.status) == (2_500, 2_500, 10_000, "PastDue"))
        #expect(!partial.duplicate)
        let repeated = try storage.applyPayment(request, now: pastDue + 90_000, sendReceipt: true)
        #expect(repeated.duplicate && repeated.paymentId == partial.paymentId && repeated.balance == 10_000)
        var conflicting = request
        conflicting.amount = "26.00"
        do {
            _ = try storage.applyPayment(conflicting, now: pastDue + 90_000, sendReceipt: true)
            Issue.record("a RefNo was applied twice with different amounts")
        } catch let error as BillingError {
            #expect(error.code == .refNoConflict)
        }

        let rest = PaymentRequest(number: number, amount: "100.00", type: .ach, refNo: "R-2", paymentDate: "2027-02-16")
        let closing = try storage.applyPayment(rest, now: pastDue + 86_400, sendReceipt: true)
        #expect((closing.paid, closing.balance, closing.status) == (12_500, 0, "Paid"))
        let invoice = try storage.invoice(number: number)
        #expect(invoice.payments.map(\.amount) == [2_500, 10_000])
        #expect(invoice.history.contains { $0.type == "paid" })
        let messages = try storage.outboxMessages()
        #expect(messages.first { $0.kind == "reminder_1" }?.status == .withdrawn, "a paid invoice is not reminded")
        #expect(messages.contains { $0.kind == "receipt" && $0.status == .pending && $0.channel == .email })
        #expect(throws: BillingError.self, "a paid invoice cannot be canceled") {
            try storage.cancel(number: number, now: pastDue + 90_000)
        }
    }

    @Test(arguments: StorageSetup.all)
    func aResendQueuesOneMoreMessageAndACanceledInvoiceIsNotResent(_ setup: StorageSetup) throws {
        let store = try setup.open()
        let storage = store.storage
        let number = try #require(try StorageFixture.generateFirstRuns(storage, count: 1).first?.number)
        let first = try storage.resend(number: number, channel: .email, to: "billing@example.com", now: t0 + 10)
        let second = try storage.resend(number: number, channel: .email, to: nil, now: t0 + 20)
        #expect(first.recipient == "billing@example.com" && second.recipient == "asa@example.com")
        #expect(first.outboxId != second.outboxId)
        #expect(throws: BillingError.self, "no SMS consent") {
            try storage.resend(number: number, channel: .sms, to: "+46701234567", now: t0 + 30)
        }
        let canceled = try storage.cancel(number: number, now: t0 + 40)
        #expect(canceled.status == .canceled && canceled.withdrawn == 3, "the e-mail and both resends are withdrawn")
        #expect(throws: BillingError.self) { try storage.resend(number: number, channel: .post, to: nil, now: t0 + 50) }
        do {
            _ = try storage.invoice(number: "INV-2027-999999")
            Issue.record("an unknown invoice was found")
        } catch let error as BillingError {
            #expect(error.code == .invoiceNotFound)
        }
    }
}
