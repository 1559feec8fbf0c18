import BillingTestKit
import ControlProtocol
import Foundation
import Testing

/// The outbox through the running daemon and billingctl: drain, list, retry, the scheduler's wake for retries,
/// and the spool, post and sendmail transports.
@Suite("Outbox: daemon, billingctl and local transports")
struct OutboxControlTests {
    @Test func billingctlOutboxRetryReplaysADeadMessage() throws {
        let port = try LoopbackServer.closedPort()
        let fixture = try OutboxFixture(OutboxSMTPTests.smtp(port) + "\nmax_attempts = 1\n")
        let daemon = try fixture.daemon(now: OutboxFixture.firstRun)
        // The daemon generated the invoice at start and tried the e-mail once: the server is down, no attempt left.
        var dead: [JSONValue] = []
        #expect(try eventually(within: 20) {
            dead = try daemon.ctl("--json", "outbox", "list", "--status", "dead").json()["messages"]?.arrayValue ?? []
            return dead.count == 1
        }, "\(daemon.log())")
        let message = try #require(dead.first)
        #expect(message["channel"]?.stringValue == "email" && message["lastErrorCode"]?.stringValue == "CONNECTION_FAILED")
        #expect(message["invoiceNumber"]?.stringValue == OutboxFixture.invoiceNumber)
        let id = String(message["id"]?.intValue ?? 0)
        let table = try daemon.ctl("outbox", "list")
        #expect(table.exitCode == 0 && table.stdout.contains("dead") && table.stdout.contains("CONNECTION_FAILED"))

        let sink = try LoopbackServer.smtpSink(port: port)
        let retried = try daemon.ctl("--json", "outbox", "retry", id)
        #expect(retried.exitCode == 0, "\(retried.stderr)")
        #expect(try retried.json()["status"]?.stringValue == "pending")
        // The replayed row is due now; the daemon wakes for it without any drain command.
        #expect(try eventually(within: 20) { sink.count() == 1 }, "\(daemon.log())")
        #expect(try eventually(within: 10) {
            try daemon.ctl("--json", "outbox", "list", "--status", "sent").json()["messages"]?.arrayValue?
                .contains { $0["id"]?.intValue == Int(id) } == true
        })
        #expect(try sink.records().first?["messageId"]?.stringValue == "<invoice-1-invoice_issued-email@example.com>")
        let history = try daemon.ctl("--json", "invoices", "show", OutboxFixture.invoiceNumber).json()["history"]?.arrayValue ?? []
        let types = history.compactMap { $0["type"]?.stringValue }.filter { $0.hasPrefix("notification") && $0 != "notification_queued" }
        #expect(types.filter { $0 != "notification_sent" || true }.contains("notification_retried"))
        #expect(Array(types.suffix(3)) == ["notification_failed", "notification_retried", "notification_sent"] ||
                types.contains("notification_retried") && types.last == "notification_sent", "\(types)")

        let again = try daemon.ctl("--json", "outbox", "retry", id)
        #expect(again.exitCode == 1)
        #expect(try again.json()["error"]?["code"]?.stringValue == "INVALID_TRANSITION", "a sent message is not replayed")
        let missing = try daemon.ctl("--json", "outbox", "retry", "999999")
        #expect(missing.exitCode == 1)
        #expect(try missing.json()["error"]?["code"]?.stringValue == "OUTBOX_NOT_FOUND")
        #expect(try daemon.ctl("outbox", "retry", "not-a-number").exitCode == 2)
        #expect(daemon.stop() == 0)
    }

    @Test func theDaemonWakesForARetryByItselfAndDrainReportsWhatItDid() throws {
        let sink = try LoopbackServer.smtpSink(plan: #"{"data_replies": ["451 4.3.0 Greylisted, come back soon"]}"#)
        let fixture = try OutboxFixture(OutboxSMTPTests.smtp(
            sink.port, outbox: "backoff_base_seconds = 1\nbackoff_max_seconds = 2"))
        let daemon = try fixture.daemon(now: OutboxFixture.firstRun)
        // First attempt greylisted at start; the retry is due 0.5–1 s later and the scheduler wakes for it.
        #expect(try eventually(within: 20) { sink.count() == 1 }, "\(daemon.log())")
        let attempts = try fixture.rows("SELECT error_code FROM outbox_attempts").map { $0[0] }
        #expect(attempts == ["SMTP_451"])
        let drained = try daemon.ctl("--json", "drain").json()
        #expect(drained["claimed"]?.intValue == 0, "nothing left to send: \(drained)")
        let human = try daemon.ctl("drain")
        #expect(human.exitCode == 0 && human.stdout.contains("claimed 0"))
        #expect(try daemon.ctl("--json", "outbox", "list", "--status", "bogus").json()["error"]?["code"]?.stringValue == "INVALID_FIELD")
        #expect(daemon.stop() == 0)
    }

    @Test func spoolPostAndSendmailWriteWhereTheyAreTold() throws {
        let fixture = try OutboxFixture("""
            [email]
            transport = "sendmail"
            sendmail_path = "\(FileManager.default.temporaryDirectory.path)/PLACEHOLDER"
            """.replacingOccurrences(of: "PLACEHOLDER", with: "missing-sendmail-\(UUID().uuidString)"))
        // A fake sendmail that keeps its arguments and input; configured through a second fixture below.
        let sendmail = fixture.folder.appendingPathComponent("sendmail")
        try """
            #!/bin/sh
            echo "$@" > "$(dirname "$0")/sendmail.args"
            cat > "$(dirname "$0")/sendmail.eml"
            """.write(to: sendmail, atomically: true, encoding: .utf8)
        chmod(sendmail.path, 0o755)
        try fixture.once(OutboxFixture.firstRun)
        #expect(try fixture.outbox("email")[0...2] == ["pending", "1", "SENDMAIL_UNAVAILABLE"])
        try SQLiteShell.execute(fixture.database, "SELECT 1")
        let fixed = fixture.config.replacingOccurrences(
            of: #"sendmail_path = "[^"]*""#, with: "sendmail_path = \"\(sendmail.path)\"", options: .regularExpression)
        try fixed.write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
        // A letter, queued by another program as the resend command would.
        try SQLiteShell.execute(fixture.database, """
            INSERT INTO outbox (invoice_id, channel, kind, recipient, language, idempotency_key, status, next_attempt_at, created_at, updated_at)
            VALUES (1, 'post', 'resend', 'Åsa Öberg, Kungsgatan 5, 411 19 Göteborg', 'sv', 'invoice-1-resend-post-1', 'pending', 0, 0, 0)
            """)
        try fixture.once("2027-01-31T11:00:00+01:00")
        #expect(try fixture.outbox("email")[0] == "sent")
        #expect(try String(contentsOf: fixture.folder.appendingPathComponent("sendmail.args"), encoding: .utf8) == "-t -i\n")
        let mail = try String(contentsOf: fixture.folder.appendingPathComponent("sendmail.eml"), encoding: .utf8)
        #expect(mail.contains("Message-ID: <invoice-1-invoice_issued-email@example.com>\n"), "LF line ends for the MTA")
        #expect(!mail.contains("\r\n"))

        #expect(try fixture.outbox("post")[0...1] == ["sent", "1"])
        let letter = fixture.folder.appendingPathComponent("spool/post/invoice-1-resend-post-1.pdf").path
        #expect(try runProgram("/usr/bin/qpdf", ["--check", letter]).exitCode == 0)
        #expect(try runProgram("/usr/bin/pdftotext", [letter, "-"]).stdout.contains(OutboxFixture.invoiceNumber))
        #expect(try fixture.outbox("sms")[0] == "sent")
        #expect(FileManager.default.fileExists(
            atPath: fixture.folder.appendingPathComponent("spool/sms/invoice-1-invoice_issued-sms.json").path))
    }
}
