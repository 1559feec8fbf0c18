import BillingTestKit
import ControlProtocol
import Foundation
import Testing

/// The MESSAGE_IDs of deploy/billingd.catalog (JournalMessageID in the engine), as operators match them.
private enum MessageID {
    static let invoiceGenerated = "5d1f2a8e3c9b4f6a8e7d0c1b2a3f4e5d"
    static let importRefused = "0b2d4f6a8c0e4a2c9e4f6a8b0d2c4e6f"
    static let notificationSent = "7e9a1c3e5b7d4f9182a4c6e8f0b2d4f6"
    static let faultRaised = "be3ad2cc6f314469a435f0a1755a146e"
    static let faultCleared = "308d0076fe3041c4b18c1ff36b3fca58"
}

@Suite("Native journal entries", .serialized)
struct SystemdJournalTests {
    /// journald, or the test cancelled with the reason when it cannot be started here.
    static func startJournal() throws -> JournaldInstance {
        do {
            return try JournaldInstance.start()
        } catch {
            try Test.cancel("systemd-journald could not be started on this machine, so nothing was checked: \(error)")
        }
    }

    /// billingd runs with its stderr on a journal stream and JOURNAL_STREAM naming it, as under systemd; it then
    /// writes native entries whose fields journalctl can match.
    @Test(.enabled(if: JournaldInstance.unavailableReason == nil,
                   Comment(rawValue: JournaldInstance.unavailableReason ?? "journald can be started")),
          .timeLimit(.minutes(3)))
    func invoiceAndRefusalEntriesCarryTheirFieldsMessageIDsAndPriorities() throws {
        let journal = try Self.startJournal()
        defer { journal.stop() }

        // The clock stands just after the template's first run, so the import makes it due at once.
        let daemon = try DaemonProcess(extraArguments: ["--now", "2027-01-31T10:00:00Z"],
                                       launcher: journal.streamLauncher)
        let imported = try daemon.ctl("import", "-", input: Data(
            defaultCurrencyDocument("t-journal", runDate: "2027-01-31T09:00:00").utf8))
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        // The RepeatVery value carries a newline: the refusal's MESSAGE must arrive whole, not cut at it.
        let refused = try daemon.ctl("import", "-", input: Data(
            defaultCurrencyDocument("t-bad").replacingOccurrences(of: "\"Monthly\"", with: "\"Monthly\\nDaily\"").utf8))
        #expect(refused.exitCode == 1)

        let invoice = try journal.entries(["_PID=\(daemon.pid)", "INVOICE_NUMBER=INV-2027-000001",
                                           "MESSAGE_ID=\(MessageID.invoiceGenerated)"])
        #expect(invoice.count == 1, "\(invoice)")
        let generated = try JSONParser.parse(Array(invoice[0].utf8))
        #expect(text(generated["MESSAGE"]) == "invoice generated")
        #expect(text(generated["MESSAGE_ID"]) == MessageID.invoiceGenerated)
        #expect(text(generated["PRIORITY"]) == "6")
        #expect(text(generated["SYSLOG_IDENTIFIER"]) == "billingd")
        #expect(text(generated["TEMPLATE_ID"]) == "1")
        #expect(text(generated["CUSTOMER_GUID"]) == "c-1")
        #expect(text(generated["CODE_FILE"])?.hasSuffix("RecurringRun.swift") == true, "\(generated)")
        #expect(text(generated["CODE_LINE"]).flatMap { Int($0) } != nil)
        #expect(text(generated["CODE_FUNC"])?.isEmpty == false)
        #expect(text(generated["_TRANSPORT"]) == "journal", "a native entry, not a line on the stream")

        // The cycle's drain sent the invoice e-mail to the spool folder; that entry names the outbox row.
        let sent = try journal.entries(["_PID=\(daemon.pid)", "MESSAGE_ID=\(MessageID.notificationSent)"])
        #expect(sent.count == 1, "\(sent)")
        let sentEntry = try JSONParser.parse(Array(sent[0].utf8))
        #expect(text(sentEntry["INVOICE_NUMBER"]) == "INV-2027-000001")
        #expect(text(sentEntry["OUTBOX_ID"]) == "1")

        let refusal = try journal.entries(["_PID=\(daemon.pid)", "MESSAGE_ID=\(MessageID.importRefused)"])
        #expect(refusal.count == 1, "\(refusal)")
        let entry = try JSONParser.parse(Array(refusal[0].utf8))
        #expect(text(entry["PRIORITY"]) == "4")
        #expect(text(entry["ERROR_CODE"]) == "INVALID_REPEAT")
        #expect(text(entry["FIELD"]) == "RecurringInvoices[0].Header.RepeatVery")
        #expect(text(entry["MESSAGE"])?.contains("Monthly\nDaily") == true, "\(entry)")

        #expect(daemon.stop() == 0)
        // Everything went to the journal natively, up to the last words; nothing fell back to `<N>` lines on
        // the stream (which journald records with _TRANSPORT=stdout).
        let native = try journal.entries(["_PID=\(daemon.pid)", "_TRANSPORT=journal", "MESSAGE=stopped"])
        #expect(native.count == 1)
        let onStream = try journal.entries(["_PID=\(daemon.pid)", "_TRANSPORT=stdout"], atLeast: 0, timeout: 0)
        #expect(onStream.isEmpty, "\(onStream)")
    }

    /// A fault is an error entry with its code, scope and retry instant, and its end a notice with how long it
    /// lasted: the entries an operator filters on with `journalctl MESSAGE_ID=…` or `ERROR_CODE=DATABASE_LOCKED`.
    @Test(.enabled(if: JournaldInstance.unavailableReason == nil,
                   Comment(rawValue: JournaldInstance.unavailableReason ?? "journald can be started")),
          .timeLimit(.minutes(3)))
    func aFaultAndItsEndAreJournalEntriesWithTheirErrorCodeAndScope() throws {
        let journal = try Self.startJournal()
        defer { journal.stop() }
        let fixture = try OutboxFixture(FaultDatabaseTests.settings)
        let lock = try ForeignWriteLock(database: fixture.database, folder: fixture.folder)
        let daemon = try DaemonProcess(extraArguments: ["--now", FaultDatabaseTests.threeRunsDue], config: fixture.config,
                                       environment: fixture.environment, database: fixture.database,
                                       launcher: journal.streamLauncher)
        _ = try journal.entries(["_PID=\(daemon.pid)", "MESSAGE_ID=\(MessageID.faultRaised)"])
        lock.release()
        let cleared = try journal.entries(["_PID=\(daemon.pid)", "MESSAGE_ID=\(MessageID.faultCleared)"])
        let raised = try journal.entries(["_PID=\(daemon.pid)", "MESSAGE_ID=\(MessageID.faultRaised)"])
        #expect(daemon.stop() == 0)

        #expect(raised.count == 1, "one entry while the same fault lasts: \(raised)")
        let fault = try JSONParser.parse(Array(raised[0].utf8))
        #expect(text(fault["PRIORITY"]) == "3")
        #expect(text(fault["ERROR_CODE"]) == "DATABASE_LOCKED")
        #expect(text(fault["FAULT_SCOPE"]) == "cycle")
        #expect(text(fault["RETRY_AT"])?.hasPrefix("2027-03-31T") == true, "\(fault)")
        let end = try JSONParser.parse(Array(cleared[0].utf8))
        #expect(text(end["PRIORITY"]) == "5")
        #expect(text(end["ERROR_CODE"]) == "DATABASE_LOCKED")
        #expect(text(end["FAULT_SECONDS"]).flatMap { Int($0) } != nil, "\(end)")
    }
}
