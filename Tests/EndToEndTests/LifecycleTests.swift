import BillingTestKit
import ControlProtocol
import Foundation
import Testing

/// One invoice a month in `zone`, due 10 days after its run; the customer has e-mail but no SMS consent.
private func lifecycleDocument(zone: String, currency: String = "EUR") -> String {
    """
    {"Customers": [{"CustomerGUID": "c-1", "FirstName": "Tui", "Email": "tui@example.com", "SmsConsent": false}],
     "RecurringInvoices": [
      {"Header": {"RecordGuid": "t-1", "CustomerGUID": "c-1", "RepeatVery": "Monthly", "MaxRuns": 1,
                  "RunDate": "2027-01-05T09:00:00", "NextRunDate": "2027-01-05T09:00:00", "DueDays": 10,
                  "Currency": "\(currency)", "TimeZone": "\(zone)"},
       "Lines": [{"LineGuid": "l", "ProductDescription": "Service", "Quantity": 1, "UnitPrice": "100.00", "TaxRate": 25}]}]}
    """
}

@Suite("Invoice life cycle end to end")
struct LifecycleTests {
    private func importOnly(_ document: String) throws -> DaemonProcess {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2026-12-01T00:00:00Z"])
        #expect(try daemon.ctl("import", "-", input: Data(document.utf8)).exitCode == 0)
        #expect(daemon.stop() == 0)
        return daemon
    }

    /// E-mail over SMTP to a port nobody listens on: every attempt fails transiently, so queued messages stay
    /// `pending` (with their next attempt) for the test to look at, withdraw or retry.
    private static let undeliverable = """
        [email]
        transport = "smtp"
        smtp_host = "127.0.0.1"
        smtp_port = 9
        """

    private func once(_ daemon: DaemonProcess, _ now: String) throws {
        let result = try billingdOnce(database: daemon.database, now: now)
        #expect(result.exitCode == 0, "\(result.stderr)")
    }

    private func state(_ daemon: DaemonProcess) throws -> (status: String, level: String, reminders: [String]) {
        let row = try SQLiteShell.rows(daemon.database, "SELECT status, dunning_level FROM invoice_state")[0]
        let reminders = try SQLiteShell.rows(daemon.database,
                                             "SELECT kind FROM outbox WHERE kind LIKE 'reminder_%' ORDER BY id").map { $0[0] }
        return (row[0], row[1], reminders)
    }

    @Test func sweepMarksPastDueTheDayAfterTheDueDateInAZoneFarFromUTCAndQueuesEachReminderOnce() throws {
        // Kiritimati is UTC+14: the due date 2027-01-15 ends there at 2027-01-15T10:00Z.
        let daemon = try importOnly(lifecycleDocument(zone: "Pacific/Kiritimati"))
        try once(daemon, "2027-01-05T09:00:10+14:00")
        #expect(try SQLiteShell.scalar(daemon.database, "SELECT due_date FROM invoices") == "2027-01-15")
        try once(daemon, "2027-01-15T23:59:00+14:00")
        #expect(try state(daemon).status == "Due", "not before the due date has passed")
        try once(daemon, "2027-01-16T00:00:30+14:00")
        #expect(try state(daemon) == ("PastDue", "1", ["reminder_1"]))
        try once(daemon, "2027-01-16T12:00:00+14:00")
        try once(daemon, "2027-01-21T23:00:00+14:00")
        #expect(try state(daemon) == ("PastDue", "1", ["reminder_1"]), "a second sweep the same day queues nothing")
        try once(daemon, "2027-01-22T00:00:30+14:00")
        try once(daemon, "2027-01-22T18:00:00+14:00")
        #expect(try state(daemon) == ("PastDue", "2", ["reminder_1", "reminder_2"]))
        try once(daemon, "2027-02-20T08:00:00+14:00")
        try once(daemon, "2027-03-20T08:00:00+14:00")
        #expect(try state(daemon) == ("PastDue", "3", ["reminder_1", "reminder_2", "reminder_3"]))
        let history = try SQLiteShell.rows(daemon.database, "SELECT type FROM invoice_history ORDER BY id").map { $0[0] }
        #expect(history.filter { $0 == "past_due" }.count == 1)
        #expect(history.filter { $0 == "reminder_queued" }.count == 3)
    }

    @Test func aLateFirstSweepSendsOnlyTheLatestReminderAndTheHistorySaysWhichWereSkipped() throws {
        let daemon = try importOnly(lifecycleDocument(zone: "America/Los_Angeles"))
        try once(daemon, "2027-01-05T09:00:10-08:00")
        try once(daemon, "2027-01-15T23:59:59-08:00")
        #expect(try state(daemon).status == "Due")
        try once(daemon, "2027-02-14T12:00:00-08:00")
        #expect(try state(daemon) == ("PastDue", "3", ["reminder_3"]))
        let skipped = try SQLiteShell.rows(daemon.database,
                                           "SELECT detail FROM invoice_history WHERE type = 'reminder_skipped' ORDER BY id")
        #expect(skipped.map { $0[0] } == ["reminder 1 passed over: a later reminder was already due",
                                          "reminder 2 passed over: a later reminder was already due"])
    }

    @Test func paymentsCloseTheInvoiceOnceAndRefuseWhatTheSourceDocumentsRefuse() throws {
        // The January invoice is issued on time (Jan 5, due Jan 15) by a first daemon.
        let issuer = try DaemonProcess(extraArguments: ["--now", "2027-01-05T08:00:10Z"], config: Self.undeliverable)
        defer { withExtendedLifetime(issuer) {} }  // its folder holds the database
        #expect(try issuer.ctl("import", "-", input: Data(lifecycleDocument(zone: "Europe/Stockholm").utf8)).exitCode == 0)
        // The import wakes the scheduler; `run` waits for the job lock, so afterwards the invoice exists.
        #expect(try issuer.ctl("run").exitCode == 0)
        #expect(issuer.stop() == 0)
        let daemon = try DaemonProcess(extraArguments: ["--now", "2027-01-20T00:00:00Z"], config: Self.undeliverable,
                                       database: issuer.database)
        #expect(try daemon.ctl("sweep").exitCode == 0)
        let listed = try daemon.ctl("--json", "invoices", "list")
        let number = try #require(try listed.json()["invoices"]?[0]?["number"]?.stringValue, "\(listed) \(daemon.log())")
        // By Jan 20 the invoice has been swept past due with reminder 1.
        #expect(try daemon.ctl("--json", "invoices", "list", "--status", "PastDue").json()["invoices"]?.arrayValue?.count == 1)

        let partial = try daemon.ctl("--json", "pay", number, "--amount", "50.00", "--type", "ach", "--ref", "BANK-1")
        #expect(partial.exitCode == 0, "\(partial.stdout)\(partial.stderr)")
        #expect(try partial.json()["balance"]?.stringValue == "75.00")
        #expect(try partial.json()["status"]?.stringValue == "PastDue")

        let duplicate = try daemon.ctl("--json", "pay", number, "--amount", "50.00", "--type", "ach", "--ref", "BANK-1").json()
        #expect(duplicate["duplicate"]?.boolValue == true)
        #expect(duplicate["balance"]?.stringValue == "75.00", "the same RefNo is applied once")

        let over = try daemon.ctl("--json", "pay", number, "--amount", "75.01", "--type", "cash")
        #expect(over.exitCode == 1)
        #expect(try over.json()["error"]?["code"]?.stringValue == "INVALID_AMOUNT")
        for bad in ["0", "-5.00", "10.005", "10,00"] {
            #expect(try daemon.ctl("--json", "pay", number, "--amount=\(bad)", "--type", "cash").json()["error"]?["code"]?
                .stringValue == "INVALID_AMOUNT", "amount \(bad)")
        }
        #expect(try daemon.ctl("pay", number, "--amount", "1.00", "--type", "bitcoin").exitCode == 1)

        let full = try daemon.ctl("--json", "pay", number, "--amount", "75.00", "--type", "cc", "--ref", "CARD-9",
                                  "--date", "2027-01-19", "--payer-name", "Tui", "--notes", "thanks").json()
        #expect(full["status"]?.stringValue == "Paid")
        #expect(full["balance"]?.stringValue == "0.00")
        #expect(try daemon.ctl("--json", "pay", number, "--amount", "1.00", "--type", "cash").json()["error"]?["code"]?
            .stringValue == "INVALID_TRANSITION", "a paid invoice takes no payment")

        let cancel = try daemon.ctl("--json", "cancel", number)
        #expect(cancel.exitCode == 1)
        #expect(try cancel.json()["error"]?["code"]?.stringValue == "INVALID_TRANSITION")
        #expect(try cancel.json()["error"]?["message"]?.stringValue?.contains("Paid") == true)

        let shown = try daemon.ctl("--json", "invoices", "show", number).json()
        #expect(shown["paid"]?.stringValue == "125.00")
        let types = shown["history"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []
        #expect(types.filter { $0 == "payment_applied" }.count == 2)
        #expect(types.contains("paid"))
        let pastDue = shown["history"]?.arrayValue?.first { $0["type"]?.stringValue == "past_due" }
        #expect(pastDue?["detail"]?.stringValue == "due date \(shown["dueDate"]?.stringValue ?? "?") passed unpaid",
                "the sweep's event reads like any other, though the sweep stores no text for it")
        #expect(try eventually(within: 10) {
            try SQLiteShell.rows(daemon.database, "SELECT status, attempts FROM outbox WHERE kind = 'receipt'")
                == [["pending", "1"]]
        }, "a receipt is queued when the payment closes the invoice (and tried once by the woken drain)")
        #expect(try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM payments") == "2")

        let unknown = try daemon.ctl("--json", "resend", "INV-NOPE", "--via", "email")
        #expect(unknown.exitCode == 1)
        #expect(try unknown.json()["error"]?["code"]?.stringValue == "INVOICE_NOT_FOUND")
        let sms = try daemon.ctl("--json", "resend", number, "--via", "sms", "--to", "+46701234567")
        #expect(try sms.json()["error"]?["code"]?.stringValue == "NO_CONSENT")
        let email = try daemon.ctl("--json", "resend", number, "--via", "email", "--to", "accounts@example.com").json()
        #expect(email["recipient"]?.stringValue == "accounts@example.com")
        #expect(try daemon.ctl("resend", number, "--via", "email").exitCode == 0, "a second resend is its own message")
        #expect(try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM outbox WHERE kind = 'resend'") == "2")
    }

    @Test func cancelWithdrawsPendingMessagesAndStopsReminders() throws {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2027-01-06T00:00:00Z"], config: Self.undeliverable)
        #expect(try daemon.ctl("import", "-", input: Data(lifecycleDocument(zone: "Europe/Stockholm").utf8)).exitCode == 0)
        let number = try #require(try daemon.ctl("--json", "invoices", "list").json()["invoices"]?[0]?["number"]?.stringValue)
        // The cycle tried the e-mail once (connection refused) and left it pending for a later attempt.
        #expect(try eventually(within: 10) {
            try SQLiteShell.rows(daemon.database, "SELECT status, attempts FROM outbox") == [["pending", "1"]]
        })
        let canceled = try daemon.ctl("--json", "cancel", number).json()
        #expect(canceled["status"]?.stringValue == "Canceled")
        #expect(canceled["withdrawnMessages"]?.intValue == 1)
        #expect(try SQLiteShell.rows(daemon.database, "SELECT status FROM outbox").map { $0[0] } == ["withdrawn"])
        #expect(try daemon.ctl("--json", "cancel", number).json()["error"]?["code"]?.stringValue == "INVALID_TRANSITION")
        #expect(try daemon.ctl("--json", "sweep").json()["markedPastDue"]?.intValue == 0)
        #expect(daemon.stop() == 0)
        try once(daemon, "2027-03-01T00:00:00Z")
        #expect(try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM outbox WHERE kind LIKE 'reminder_%'") == "0")
    }
}
