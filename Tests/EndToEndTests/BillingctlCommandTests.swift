import BillingTestKit
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

    @Test func anUnknownCommandAfterGlobalOptionsIsNamedAndTheCommandsListed() throws {
        let daemon = try DaemonProcess()
        for arguments in [["--socket", daemon.socket, "frobnicate"], ["--json", "no-such-command"],
                          ["--socket", daemon.socket, "--json", "no-such-command", "--limit", "3"]] {
            let result = try runProgram(Products.billingctl, arguments)
            #expect(result.exitCode == 2, "\(arguments)")
            #expect(result.stderr.lowercased().contains("unknown command"), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Unknown option"), "\(arguments): \(result.stderr)")
            for command in ["status", "import", "invoices", "outbox", "backup"] {
                #expect(result.stderr.contains(command), "\(arguments): \(result.stderr)")
            }
        }
        #expect(daemon.stop() == 0)
    }

    @Test func backupMakesAnOnlineConsistentPrivateCopyAndRefusesAnExistingFile() throws {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2026-10-20T00:00:00Z"])
        #expect(try daemon.ctl("import", Examples.path("templates.json")).exitCode == 0)
        #expect(try daemon.ctl("run").exitCode == 0)
        let copy = daemon.directory.appendingPathComponent("backups/copy.sqlite").path
        try FileManager.default.createDirectory(atPath: (copy as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let made = try daemon.ctl("--json", "backup", copy)
        #expect(made.exitCode == 0, "\(made.stdout)\(made.stderr)")
        #expect(try made.json()["path"]?.stringValue == copy)

        var info = stat()
        #expect(stat(copy, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600, "mode \(String(info.st_mode & 0o777, radix: 8))")
        #expect(try SQLiteShell.scalar(copy, "PRAGMA integrity_check") == "ok")
        let tables = try SQLiteShell.rows(daemon.database, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .map { $0[0] }
        #expect(tables.contains("invoices") && tables.contains("outbox"))
        for table in tables {
            let query = "SELECT * FROM \(table) ORDER BY 1"
            #expect(try SQLiteShell.rows(copy, query) == SQLiteShell.rows(daemon.database, query), "\(table)")
        }
        #expect(try SQLiteShell.scalar(copy, "SELECT count(*) FROM invoices") == "4")

        // An existing file is never overwritten.
        let before = try Data(contentsOf: URL(fileURLWithPath: copy))
        let again = try daemon.ctl("--json", "backup", copy)
        #expect(again.exitCode == 1)
        #expect(try again.json()["error"]?["code"]?.stringValue == "FILE_EXISTS")
        #expect(try again.json()["error"]?["field"]?.stringValue == "path")
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == before)
        #expect(daemon.stop() == 0)
    }
}
