import BillingTestKit
import ControlProtocol
import Foundation
import Testing

/// E-mail through a real SMTP server (aiosmtpd on 127.0.0.1) started by each test.
@Suite("Outbox: e-mail over SMTP")
struct OutboxSMTPTests {
    static func smtp(_ port: Int, extra: String = "",
                     outbox: String = "backoff_base_seconds = 60\nbackoff_max_seconds = 3600") -> String {
        """
        [email]
        transport = "smtp"
        smtp_host = "127.0.0.1"
        smtp_port = \(port)
        smtp_timeout_seconds = 10
        \(extra)
        [outbox]
        \(outbox)
        """
    }

    @Test func invoiceEmailArrivesWithItsHeadersTextAndHTMLAndAReadablePDF() throws {
        let sink = try LoopbackServer.smtpSink(plan: #"{"auth": ["billing", "s3cret"]}"#)
        let fixture = try OutboxFixture(Self.smtp(sink.port, extra: "smtp_username = \"billing\""))
        try fixture.writeCredential("smtp-password", "s3cret")
        try fixture.once(OutboxFixture.firstRun)

        let messages = try sink.records()
        try #require(messages.count == 1, "\(messages)")
        let mail = messages[0]
        #expect(mail["auth"]?.boolValue == true, "AUTH with the password from $CREDENTIALS_DIRECTORY")
        #expect(mail["messageId"]?.stringValue == "<invoice-1-invoice_issued-email@example.com>")
        #expect(mail["from"]?.stringValue == "Exempel AB <faktura@example.com>")
        #expect(mail["to"]?.stringValue == "Åsa Öberg <asa@example.com>")
        #expect(mail["rcptTos"]?.arrayValue?.first?.stringValue == "asa@example.com")
        #expect(mail["subject"]?.stringValue == "Faktura \(OutboxFixture.invoiceNumber) från Exempel AB",
                "the customer's language (sv) picks the Swedish template")
        #expect(mail["date"]?.stringValue?.hasPrefix("Sun, 31 Jan 2027 09:00:") == true, "Date from the (simulated) clock")
        #expect(mail["contentType"]?.stringValue == "multipart/mixed")
        let parts = mail["parts"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(parts == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"])
        let text = mail["text"]?.stringValue ?? ""
        #expect(text.contains("Hej Åsa Öberg") && text.contains("\(OutboxFixture.total) SEK") && text.contains("Bankgiro 123-4567"))
        #expect(mail["html"]?.stringValue?.contains("<strong>\(OutboxFixture.invoiceNumber)</strong>") == true)

        let attachment = try #require(mail["attachments"]?.arrayValue?.first)
        #expect(attachment["filename"]?.stringValue == "\(OutboxFixture.invoiceNumber).pdf")
        let pdf = try #require(attachment["path"]?.stringValue)
        let check = try runProgram("/usr/bin/qpdf", ["--check", pdf])
        #expect(check.exitCode == 0, "qpdf --check: \(check.stdout)\(check.stderr)")
        let pdfText = try runProgram("/usr/bin/pdftotext", ["-layout", pdf, "-"]).stdout
        for expected in [OutboxFixture.invoiceNumber, OutboxFixture.total, "Åsa Öberg", "Göteborg", "Förfallodatum",
                         "2027-03-02", "Webbhotell – årsavgift", "Böcker", "151.74", "758.97", "Exempel AB",
                         "SE556677889901"] {
            #expect(pdfText.contains(expected), "pdftotext shows \(expected)")
        }

        let row = try fixture.outbox("email")
        #expect(row[0] == "sent" && row[3].contains("queued as sink-1"), "\(row)")
        #expect(try fixture.notificationHistory().contains { $0[0] == "notification_sent" && $0[1] == "email" })
        // SMS consent: the SMS went to the spool folder (the default SMS transport), with the number normalised.
        let smsSpool = fixture.folder.appendingPathComponent("spool/sms/invoice-1-invoice_issued-sms.json")
        let sms = try JSONParser.parse(Array(try Data(contentsOf: smsSpool)))
        #expect(sms["to"]?.stringValue == "+46701234567")
        #expect(sms["message"]?.stringValue?.contains(OutboxFixture.invoiceNumber) == true)
    }

    @Test func serverDownIsRetriedLaterThenDelivered() throws {
        let port = try LoopbackServer.closedPort()
        let fixture = try OutboxFixture(Self.smtp(port))
        try fixture.once(OutboxFixture.firstRun)
        var row = try fixture.outbox("email")
        #expect(row[0] == "pending" && row[1] == "1" && row[2] == "CONNECTION_FAILED", "\(row)")
        let delay = try fixture.rows("SELECT next_attempt_at - updated_at FROM outbox WHERE channel = 'email'")[0][0]
        #expect((30...60).contains(Int(delay) ?? 0), "first retry after 30–60 s (base 60 s, half of it jitter): \(delay)")
        #expect(try fixture.notificationHistory().contains { $0[0] == "notification_failed" && $0[2] == "CONNECTION_FAILED" })

        let sink = try LoopbackServer.smtpSink(port: port)
        try fixture.once("2027-01-31T10:00:15+01:00")
        #expect(try fixture.outbox("email")[0] == "pending", "not due yet: the retry waits for its time")
        #expect(sink.count() == 0)
        try fixture.once("2027-01-31T11:00:00+01:00")
        row = try fixture.outbox("email")
        #expect(row[0] == "sent" && row[1] == "2", "\(row)")
        #expect(sink.count() == 1)
    }

    @Test func answers421And451AreRetriedThenDelivered() throws {
        let sink = try LoopbackServer.smtpSink(
            plan: #"{"data_replies": ["421 4.7.0 Too busy, try again later", "451 4.3.0 Mailbox temporarily unavailable"]}"#)
        let fixture = try OutboxFixture(Self.smtp(sink.port))
        try fixture.once(OutboxFixture.firstRun)
        #expect(try fixture.outbox("email")[0...2] == ["pending", "1", "SMTP_421"])
        try fixture.once("2027-01-31T11:00:00+01:00")
        #expect(try fixture.outbox("email")[0...2] == ["pending", "2", "SMTP_451"])
        try fixture.once("2027-01-31T13:00:00+01:00")
        #expect(try fixture.outbox("email")[0...1] == ["sent", "3"])
        let attempts = try fixture.rows("SELECT error_code, error_message FROM outbox_attempts ORDER BY id")
        #expect(attempts.map { $0[0] } == ["SMTP_421", "SMTP_451"])
        #expect(attempts[1][1].contains("Mailbox temporarily unavailable"))
        let failures = try fixture.notificationHistory().filter { $0[0] == "notification_failed" }
        #expect(failures.map { $0[2] } == ["SMTP_421", "SMTP_451"], "every failure lands in the history with its code")
        let delivered = try sink.records()
        #expect(delivered.count == 1)
        #expect(delivered.first?["messageId"]?.stringValue == "<invoice-1-invoice_issued-email@example.com>")
    }

    @Test func answer550FailsAtOnceAndTheHistoryRecordsCodeAndMessage() throws {
        let sink = try LoopbackServer.smtpSink(
            plan: #"{"data_replies": ["550 5.1.1 <asa@example.com>: Recipient address rejected"]}"#)
        let fixture = try OutboxFixture(Self.smtp(sink.port))
        try fixture.once(OutboxFixture.firstRun)
        #expect(try fixture.outbox("email")[0...2] == ["failed", "1", "SMTP_550"])
        let failure = try #require(try fixture.notificationHistory().first { $0[0] == "notification_failed" })
        #expect(failure[1] == "email" && failure[2] == "SMTP_550")
        #expect(failure[3].contains("550 5.1.1 <asa@example.com>: Recipient address rejected"))
        try fixture.once("2027-02-02T10:00:00+01:00")
        #expect(try fixture.outbox("email")[0...1] == ["failed", "1"], "a permanent failure is never retried by itself")
        #expect(sink.count() == 0)
    }

    /// With PIPELINING offered, MAIL, RCPT and DATA go out together; a refused recipient still fails the message
    /// with the server's code, a 4xx to the message text is retried, and the other messages go through.
    @Test func pipelinedEnvelopeKeepsTheRepliesApartAndDelivers() throws {
        let sink = try LoopbackServer.smtpSink(plan: #"""
            {"pipelining": true, "rcpt_replies": ["550 5.1.1 <asa@example.com>: Recipient address rejected"],
             "data_replies": ["451 4.3.0 Mailbox temporarily unavailable"]}
            """#)
        let fixture = try OutboxFixture(Self.smtp(sink.port))
        try fixture.once(OutboxFixture.firstRun)
        #expect(try fixture.outbox("email")[0...2] == ["failed", "1", "SMTP_550"])
        let failure = try #require(try fixture.notificationHistory().first { $0[0] == "notification_failed" })
        #expect(failure[3].contains("550 5.1.1 <asa@example.com>: Recipient address rejected (after RCPT)"))
        try fixture.queueResends(3, keyPrefix: "piped")
        try fixture.once("2027-01-31T11:00:00+01:00")
        try fixture.once("2027-01-31T13:00:00+01:00")
        let left = try fixture.rows("SELECT status, count(*) FROM outbox WHERE idempotency_key LIKE 'piped-%' GROUP BY status")
        #expect(left == [["sent", "3"]])
        let attempts = try fixture.rows("SELECT error_code FROM outbox_attempts ORDER BY id").map { $0[0] }
        #expect(attempts == ["SMTP_550", "SMTP_451"])
        #expect(Set(try sink.records().compactMap { $0["messageId"]?.stringValue })
            == Set((1...3).map { "<piped-\($0)@example.com>" }))
    }

    @Test func connectionDroppedMidDataIsRetriedWithTheSameMessageID() throws {
        let sink = try LoopbackServer.smtpSink(plan: #"{"drop_data": 1}"#)
        let fixture = try OutboxFixture(Self.smtp(sink.port))
        try fixture.once(OutboxFixture.firstRun)
        #expect(try fixture.outbox("email")[0...2] == ["pending", "1", "CONNECTION_LOST"])
        try fixture.once("2027-01-31T11:00:00+01:00")
        #expect(try fixture.outbox("email")[0] == "sent")
        let delivered = try sink.records()
        #expect(delivered.map { $0["messageId"]?.stringValue } == ["<invoice-1-invoice_issued-email@example.com>"])
    }

    @Test func malformedRecipientFailsPermanentlyWithoutContactingTheServer() throws {
        let sink = try LoopbackServer.smtpSink()
        let fixture = try OutboxFixture(Self.smtp(sink.port))
        try fixture.once("2026-12-02T00:00:00Z")
        // Another program queued a message with a broken address.
        try SQLiteShell.execute(fixture.database, """
            INSERT INTO outbox (invoice_id, channel, kind, recipient, idempotency_key, status, next_attempt_at, created_at, updated_at)
            SELECT NULL, 'email', 'resend', 'asa@example.com', 'orphan', 'pending', 0, 0, 0;
            """)
        try fixture.once(OutboxFixture.firstRun)
        try SQLiteShell.execute(fixture.database, """
            INSERT INTO outbox (invoice_id, channel, kind, recipient, idempotency_key, status, next_attempt_at, created_at, updated_at)
            VALUES (1, 'email', 'resend', 'asa@@example.com' || char(13) || char(10) || 'Bcc: x@example.com', 'bad-address', 'pending', 0, 0, 0)
            """)
        try fixture.once("2027-01-31T11:00:00+01:00")
        let bad = try fixture.rows("SELECT status, last_error_code FROM outbox WHERE idempotency_key = 'bad-address'")
        #expect(bad == [["failed", "INVALID_ADDRESS"]])
        let orphan = try fixture.rows("SELECT status, last_error_code FROM outbox WHERE idempotency_key = 'orphan'")
        #expect(orphan == [["failed", "INVOICE_NOT_FOUND"]])
        #expect(sink.count() == 1, "only the invoice e-mail reached the server")
    }

    @Test func startTLSWithAPrivateCAThenAuthThenDelivery() throws {
        let certificate = try LocalhostCertificate()
        defer { withExtendedLifetime(certificate) {} }
        let cert = certificate.cert, key = certificate.key
        let sink = try LoopbackServer.smtpSink(plan: #"{"auth": ["billing", "s3cret"], "tls": ["\#(cert)", "\#(key)"]}"#)
        let fixture = try OutboxFixture(Self.smtp(sink.port, extra: """
            smtp_starttls = true
            smtp_ca_file = "\(cert)"
            smtp_username = "billing"
            """).replacingOccurrences(of: "smtp_host = \"127.0.0.1\"", with: "smtp_host = \"localhost\""))
        try fixture.writeCredential("smtp-password", "s3cret")
        try fixture.once(OutboxFixture.firstRun)
        let mail = try #require(try sink.records().first)
        #expect(mail["tls"]?.boolValue == true && mail["auth"]?.boolValue == true)
        #expect(try fixture.outbox("email")[0] == "sent")
    }

    @Test func aRelayWithoutStartTLSIsRefusedWhenTLSIsRequired() throws {
        let sink = try LoopbackServer.smtpSink()
        let fixture = try OutboxFixture(Self.smtp(sink.port, extra: "smtp_starttls = true"))
        try fixture.once(OutboxFixture.firstRun)
        #expect(try fixture.outbox("email")[0...2] == ["pending", "1", "STARTTLS_UNAVAILABLE"],
                "nothing is sent in clear; the relay is at fault, so the message waits")
        #expect(sink.count() == 0)
    }

    @Test func anUnparseableReplyIsATransientProtocolErrorAndRetried() throws {
        let sink = try LoopbackServer.smtpSink(plan: #"{"data_replies": ["hello, this is not SMTP"]}"#)
        let fixture = try OutboxFixture(Self.smtp(sink.port))
        try fixture.once(OutboxFixture.firstRun)
        #expect(try fixture.outbox("email")[0...2] == ["pending", "1", "SMTP_PROTOCOL"], "retried, not SMTP_0")
        try fixture.once("2027-01-31T11:00:00+01:00")
        #expect(try fixture.outbox("email")[0...1] == ["sent", "2"])
    }
}
