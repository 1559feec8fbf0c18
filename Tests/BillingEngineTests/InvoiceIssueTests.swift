@testable import BillingEngine
import ControlProtocol
import BillingDomain
import Foundation
import Testing

/// What a run issues: its dates (supply and issue, DESIGN.md §3) and the status of a 0.00 invoice.
@Suite("Invoice issue: dates and 0.00 invoices")
struct InvoiceIssueTests {
    @Test func aLateCatchUpIsIssuedOnTheDayItIsGeneratedWithTheRunAsSupplyDate() throws {
        let fixture = try EngineFixture()
        // Monthly from 2026-12-28; billingd is down from before that run until 2027-01-04.
        try fixture.importDocument(try fixture.engine(at: "2026-12-01T00:00:00+01:00"),
                                   EngineFixture.document(runDate: "2026-12-28T09:00:00"))
        let late = try fixture.engine(at: "2027-01-04T12:00:00+01:00")
        try fixture.ctl(late, "run")
        // The number series follows the issue date: a 2027 invoice, though it bills a December run.
        let shown = try fixture.show(late, "INV-2027-000001")
        #expect(shown["issueDate"]?.stringValue == "2027-01-04")
        #expect(shown["supplyDate"]?.stringValue == "2026-12-28")
        #expect(shown["dueDate"]?.stringValue == "2027-02-03", "issue date + 30 DueDays")
        #expect(shown["periodStart"]?.stringValue == "2026-12-28" && shown["periodEnd"]?.stringValue == "2027-01-27")
        let text = try fixture.pdf(late, "INV-2027-000001").text
        #expect(text.contains("2027-01-04") && text.contains("2026-12-28"), "\(text)")
        #expect(text.contains("Supply date"), "both dates printed when they differ: \(text)")

        // The next run, generated on time, has one date; preview shows the issue date it gets then.
        let preview = try fixture.ctl(late, "preview", ["template": "t-1", "count": 1])
        #expect(preview["runs"]?[0]?["issueDate"]?.stringValue == "2027-01-28")
        #expect(preview["runs"]?[0]?["dueDate"]?.stringValue == "2027-02-27")
        let onTime = try fixture.engine(at: "2027-01-28T09:00:05+01:00")
        try fixture.ctl(onTime, "run")
        let second = try fixture.show(onTime, "INV-2027-000002")
        #expect(second["issueDate"]?.stringValue == "2027-01-28" && second["supplyDate"]?.stringValue == "2027-01-28")
        #expect(!(try fixture.pdf(onTime, "INV-2027-000002").text.contains("Supply date")))
    }

    @Test func zeroTotalInvoiceIsPaidAtIssueAndNeverDunned() throws {
        let fixture = try EngineFixture()
        let engine = try fixture.engine(at: "2027-01-31T10:00:00+01:00")
        try fixture.importDocument(engine, EngineFixture.document(
            line: #", "UnitPrice": "100.00", "DiscountPercent": 100"#))
        try fixture.ctl(engine, "run")
        let number = "INV-2027-000001"
        let issued = try fixture.show(engine, number)
        #expect(issued["status"]?.stringValue == "Paid")
        #expect(issued["balance"]?.stringValue == "0.00")
        let types = { (shown: JSONValue) in shown["history"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? [] }
        #expect(types(issued).contains("paid"), "\(types(issued))")
        let queued = issued["history"]?.arrayValue?.filter { $0["type"]?.stringValue == "notification_queued" }
            .compactMap { $0["detail"]?.stringValue }
        #expect(queued == ["invoice_issued"], "the invoice still goes out")
        // ... without asking for 0.00 by a due date.
        try fixture.ctl(engine, "drain")
        let spool = fixture.folder.appendingPathComponent("spool/email")
        let mails = try FileManager.default.contentsOfDirectory(atPath: spool.path).filter { $0.hasSuffix(".eml") }
        let mail = try mails.map { try String(contentsOf: spool.appendingPathComponent($0), encoding: .utf8) }.joined()
        #expect(mail.contains("Nothing to pay: this invoice is settled."), "\(mail.prefix(2000))")
        #expect(!mail.contains("Amount to pay"), "\(mail.prefix(2000))")

        // Long after its due date: never past due, never reminded; it cannot be paid either.
        let later = try fixture.engine(at: "2027-05-01T10:00:00+02:00")
        try fixture.ctl(later, "sweep")
        let swept = try fixture.show(later, number)
        #expect(swept["status"]?.stringValue == "Paid")
        #expect(!types(swept).contains("past_due") && !types(swept).contains("reminder_queued"), "\(types(swept))")
        let kinds = try fixture.ctl(later, "outbox.list")["messages"]?.arrayValue?.compactMap { $0["kind"]?.stringValue }
        #expect(kinds == ["invoice_issued"], "no receipt, no reminder")
        #expect(throws: BillingError.self) {
            try fixture.ctl(later, "pay", ["number": .string(number), "amount": "0.01", "type": "cash"])
        }
    }
}
