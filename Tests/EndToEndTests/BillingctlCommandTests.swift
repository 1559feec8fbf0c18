import ControlProtocol
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// billingctl's own promises: documents up to the documented 4 MiB, usage errors that say what is wrong, the id
/// `resend` answers, and `backup`.
@Suite("billingctl commands through the real daemon")
struct BillingctlCommandTests {
    /// Templates with long notes until the document is just under `bytes`; nothing in it is due.
    static func largeDocument(under bytes: Int) -> (document: String, templates: Int) {
        let notes = String(repeating: "n", count: 3_900)
        var document = #"{"Customers": [{"CustomerGUID": "c-1"}], "RecurringInvoices": ["#
        var count = 0
        while true {
            let template = """
                {"Header": {"RecordGuid": "t-\(count + 1)", "CustomerGUID": "c-1", "RepeatVery": "Monthly",
                 "RunDate": "2031-01-31T09:00:00", "NextRunDate": "2031-01-31T09:00:00", "DueDays": 30,
                 "Currency": "EUR", "TimeZone": "UTC", "CustomerNotes": "\(notes)"},
                 "Lines": [{"LineGuid": "l", "Quantity": 1, "UnitPrice": "10.00", "TaxRate": 25}]}
                """
            guard document.utf8.count + template.utf8.count + 4 < bytes else { break }
            document += (count == 0 ? "" : ",\n") + template
            count += 1
        }
        return (document + "]}", count)
    }

    @Test func importOf3_9MiBDocumentThroughBillingctlIsAccepted() throws {
        let daemon = try DaemonProcess()
        let (document, templates) = Self.largeDocument(under: 4 << 20)
        #expect(document.utf8.count > 3_900 << 10 && document.utf8.count <= 4 << 20, "\(document.utf8.count) bytes")
        let file = daemon.directory.appendingPathComponent("large.json")
        try Data(document.utf8).write(to: file)
        let imported = try daemon.ctl("--json", "import", file.path)
        #expect(imported.exitCode == 0, "\(imported.stdout.prefix(500))\(imported.stderr)")
        #expect(try imported.json()["templates"]?.arrayValue?.count == templates)

        // Every other limit stands: a long string anywhere else in a request is still refused.
        let connection = try RawControlConnection(path: daemon.socket)
        connection.send(#"{"command": "templates.show", "args": {"template": ""# + String(repeating: "x", count: 70_000) + "\"}}\n")
        let answer = connection.readLine()
        #expect(RawControlConnection.outcome(answer) == "INVALID_REQUEST")
        if case .line(let text) = answer { #expect(text.contains("65536"), "\(text)") }
        let misplaced = try RawControlConnection(path: daemon.socket)
        misplaced.send(#"{"command": "import", "documentBase64": ""# + String(repeating: "A", count: 70_000) + "\"}\n")
        #expect(RawControlConnection.outcome(misplaced.readLine()) == "INVALID_REQUEST")
        #expect(daemon.stop() == 0)
    }

    @Test func resendAnswersTheOutboxIdOfTheQueuedMessage() throws {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2026-10-20T00:00:00Z"])
        #expect(try daemon.ctl("import", Examples.path("templates.json")).exitCode == 0)
        #expect(try daemon.ctl("run").exitCode == 0)
        let number = try #require(try daemon.ctl("--json", "invoices", "list").json()["invoices"]?[0]?["number"]?.stringValue)
        let resent = try daemon.ctl("--json", "resend", number, "--via", "email", "--to", "copy@example.com")
        #expect(resent.exitCode == 0, "\(resent.stdout)\(resent.stderr)")
        let outboxID = try #require(try resent.json()["outboxId"]?.intValue)
        let row = try SQLiteShell.rows(daemon.database, """
            SELECT o.kind, o.recipient, i.number FROM outbox o JOIN invoices i ON i.id = o.invoice_id WHERE o.id = \(outboxID)
            """)
        #expect(row == [["resend", "copy@example.com", number]])
        let human = try daemon.ctl("resend", number, "--via", "email", "--to", "again@example.com")
        let latest = try SQLiteShell.scalar(daemon.database, "SELECT max(id) FROM outbox WHERE kind = 'resend'")
        #expect(human.stdout.contains("outbox \(latest)"), "\(human.stdout)")
        #expect(daemon.stop() == 0)
    }
}
