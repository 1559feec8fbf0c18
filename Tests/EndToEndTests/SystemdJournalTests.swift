import ControlProtocol
import Foundation
import Testing

/// The MESSAGE_IDs of deploy/billingd.catalog (JournalMessageID in the engine), as operators match them.
private enum MessageID {
    static let invoiceGenerated = "5d1f2a8e3c9b4f6a8e7d0c1b2a3f4e5d"
    static let importRefused = "0b2d4f6a8c0e4a2c9e4f6a8b0d2c4e6f"
    static let notificationSent = "7e9a1c3e5b7d4f9182a4c6e8f0b2d4f6"
}

@Suite("Native journal entries", .serialized)
struct SystemdJournalTests {
    /// billingd runs with its stderr on a journal stream and JOURNAL_STREAM naming it, as under systemd; it then
    /// writes native entries whose fields journalctl can match.
    @Test(.enabled(if: JournaldInstance.unavailableReason == nil,
                   Comment(rawValue: JournaldInstance.unavailableReason ?? "journald can be started")),
          .timeLimit(.minutes(3)))
    func invoiceAndRefusalEntriesCarryTheirFieldsMessageIDsAndPriorities() throws {
        let journal: JournaldInstance
        do {
            journal = try JournaldInstance.start()
        } catch {
            try Test.cancel("systemd-journald could not be started on this machine, so nothing was checked: \(error)")
        }
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
}
