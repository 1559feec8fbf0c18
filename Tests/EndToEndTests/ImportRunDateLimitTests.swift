import BillingTestKit
import ControlProtocol
import Foundation
import Testing

/// A first run to bill (NextRunDate, aligned to the schedule; RunDate when they are the same) more than
/// `billing.max_backdate_days` (default 400) before today is refused at import: a mistyped year would otherwise bill,
/// and send, every run since. An old anchor with a NextRunDate of today is a template moved from another system.
@Suite("Import: RunDate in the distant past")
struct ImportRunDateLimitTests {
    private func document(runDate: String, nextRunDate: String? = nil) -> Data {
        Data("""
            {"Customers": [{"CustomerGUID": "c-1"}],
             "RecurringInvoices": [{"Header": {"RecordGuid": "t-1", "CustomerGUID": "c-1", "RepeatVery": "Yearly",
               "RunDate": "\(runDate)T09:00:00", "NextRunDate": "\(nextRunDate ?? runDate)T09:00:00", "TimeZone": "Europe/Stockholm"},
               "Lines": [{"LineGuid": "l", "Quantity": 1, "UnitPrice": "10.00", "TaxRate": 25}]}]}
            """.utf8)
    }

    @Test func firstRunToBillMoreThanMaxBackdateDaysInThePastIsRefusedWithTheReason() throws {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2027-01-20T12:00:00Z"])
        // 2025-12-16 is 400 days before 2027-01-20: the limit itself is accepted, a day more is not.
        let typo = try daemon.ctl("--json", "import", "-", input: document(runDate: "1970-06-01"))
        #expect(typo.exitCode == 1)
        let error = try typo.json()["error"]
        #expect(error?["code"]?.stringValue == "INVALID_DATE", "\(typo.stdout)")
        #expect(error?["field"]?.stringValue == "RecurringInvoices[0].Header.RunDate")
        #expect(error?["message"]?.stringValue?.contains("billing.max_backdate_days") == true, "\(typo.stdout)")
        let dayTooMany = try daemon.ctl("--json", "import", "-", input: document(runDate: "2025-12-15"))
        #expect(try dayTooMany.json()["error"]?["code"]?.stringValue == "INVALID_DATE", "\(dayTooMany.stdout)")
        #expect(try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM templates") == "0", "nothing imported")
        let lateNext = try daemon.ctl("--json", "import", "-", input: document(runDate: "2020-06-01", nextRunDate: "2025-06-01"))
        #expect(try lateNext.json()["error"]?["field"]?.stringValue == "RecurringInvoices[0].Header.NextRunDate",
                "\(lateNext.stdout)")
        #expect(try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM templates") == "0", "nothing imported")
        #expect(try daemon.ctl("import", "-", input: document(runDate: "2025-12-16")).exitCode == 0)
    }

    @Test func anOldRunDateWithANextRunDateOfTodayIsATemplateMovedFromAnotherSystem() throws {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2027-01-20T12:00:00Z"])
        let moved = try daemon.ctl("--json", "import", "-", input: document(runDate: "2020-03-31", nextRunDate: "2027-03-31"))
        #expect(moved.exitCode == 0, "\(moved.stdout)")
        #expect(try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM invoices") == "0", "nothing billed")
    }

    @Test func maxBackdateDaysIsConfigurableAndAStoredTemplateCanBeImportedAgainLater() throws {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2027-01-20T12:00:00Z"],
                                       config: "[billing]\nmax_backdate_days = 30\n")
        #expect(try daemon.ctl("--json", "import", "-", input: document(runDate: "2026-12-01")).json()["error"]?["code"]?
            .stringValue == "INVALID_DATE")
        #expect(try daemon.ctl("import", "-", input: document(runDate: "2027-01-01")).exitCode == 0)
        #expect(daemon.stop() == 0)
        // Months later the same template (same RunDate, already stored) is imported again with new lines.
        let later = try DaemonProcess(extraArguments: ["--now", "2027-09-01T12:00:00Z"],
                                      config: "[billing]\nmax_backdate_days = 30\n", database: daemon.database)
        let again = try later.ctl("import", "-", input: document(runDate: "2027-01-01"))
        #expect(again.exitCode == 0, "\(again.stdout)\(again.stderr)")
    }
}
