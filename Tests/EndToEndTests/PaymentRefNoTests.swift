import BillingTestKit
import ControlProtocol
import Foundation
import Testing

/// DESIGN §2: the same RefNo with the same amount, type and date answers the existing payment; anything else under
/// that RefNo is REFNO_CONFLICT and changes nothing. PaymentDate is not in the future (the invoice's zone, the
/// daemon's clock); the payer's e-mail is an e-mail address.
@Suite("Payments: RefNo, date and payer")
struct PaymentRefNoTests {
    /// A Due invoice of 125.00 EUR in Stockholm (generated 2027-01-05, due 2027-01-15), the daemon's clock at `now`.
    private func daemonWithInvoice(now: String) throws -> (DaemonProcess, String) {
        let daemon = try DaemonProcess(extraArguments: ["--now", now])
        let document = """
            {"Customers": [{"CustomerGUID": "c-1", "FirstName": "Tui", "SmsConsent": false}],
             "RecurringInvoices": [
              {"Header": {"RecordGuid": "t-1", "CustomerGUID": "c-1", "RepeatVery": "Monthly", "MaxRuns": 1,
                          "RunDate": "2027-01-05T09:00:00", "NextRunDate": "2027-01-05T09:00:00", "DueDays": 10,
                          "Currency": "EUR", "TimeZone": "Europe/Stockholm"},
               "Lines": [{"LineGuid": "l", "ProductDescription": "Service", "Quantity": 1, "UnitPrice": "100.00",
                          "TaxRate": 25}]}]}
            """
        #expect(try daemon.ctl("import", "-", input: Data(document.utf8)).exitCode == 0)
        #expect(try daemon.ctl("run").exitCode == 0)
        let listed = try daemon.ctl("--json", "invoices", "list")
        let number = try #require(try listed.json()["invoices"]?[0]?["number"]?.stringValue, "\(listed) \(daemon.log())")
        return (daemon, number)
    }

    private func paymentRows(_ daemon: DaemonProcess) throws -> [[String]] {
        try SQLiteShell.rows(daemon.database, "SELECT amount, type, ref_no, payment_date FROM payments ORDER BY id")
    }

    @Test func sameRefNoWithSameAmountTypeAndDateAnswersTheExistingPayment() throws {
        let (daemon, number) = try daemonWithInvoice(now: "2027-01-20T12:00:00Z")
        let first = try daemon.ctl("--json", "pay", number, "--amount", "50.00", "--type", "ach", "--ref", "BANK-1",
                                   "--date", "2027-01-19")
        #expect(first.exitCode == 0, "\(first.stdout)\(first.stderr)")
        let again = try daemon.ctl("--json", "pay", number, "--amount", "50.00", "--type", "ach", "--ref", "BANK-1",
                                   "--date", "2027-01-19")
        #expect(again.exitCode == 0, "\(again.stdout)\(again.stderr)")
        #expect(try again.json()["duplicate"]?.boolValue == true)
        #expect(try again.json()["paymentId"]?.intValue == first.json()["paymentId"]?.intValue)
        #expect(try again.json()["balance"]?.stringValue == "75.00")
        #expect(try paymentRows(daemon) == [["5000", "ach", "BANK-1", "2027-01-19"]])
    }

    @Test func sameRefNoWithAnotherAmountIsRefNoConflict() throws {
        let (daemon, number) = try daemonWithInvoice(now: "2027-01-20T12:00:00Z")
        #expect(try daemon.ctl("pay", number, "--amount", "50.00", "--type", "ach", "--ref", "BANK-1",
                               "--date", "2027-01-19").exitCode == 0)
        let state = "SELECT status, paid, balance FROM invoice_state"
        let before = (try paymentRows(daemon), try SQLiteShell.rows(daemon.database, state))
        for (amount, type, date) in [("40.00", "ach", "2027-01-19"),   // another amount
                                     ("50.00", "cc", "2027-01-19"),    // another type
                                     ("50.00", "ach", "2027-01-18")] { // another date
            let conflict = try daemon.ctl("--json", "pay", number, "--amount", amount, "--type", type,
                                          "--ref", "BANK-1", "--date", date)
            #expect(conflict.exitCode == 1, "\(amount) \(type) \(date): \(conflict.stdout)")
            #expect(try conflict.json()["error"]?["code"]?.stringValue == "REFNO_CONFLICT", "\(conflict.stdout)")
        }
        #expect(try paymentRows(daemon) == before.0, "a refused payment changes nothing")
        #expect(try SQLiteShell.rows(daemon.database, state) == before.1)
    }

    @Test func paymentDateAfterTodayInTheInvoicesTimeZoneIsRefused() throws {
        // 23:30 UTC is already 00:30 on the 21st in Stockholm: the 21st is today there, the 22nd is the future.
        let (daemon, number) = try daemonWithInvoice(now: "2027-01-20T23:30:00Z")
        let future = try daemon.ctl("--json", "pay", number, "--amount", "10.00", "--type", "cash", "--date", "2027-01-22")
        #expect(future.exitCode == 1)
        #expect(try future.json()["error"]?["code"]?.stringValue == "INVALID_DATE", "\(future.stdout)")
        #expect(try future.json()["error"]?["field"]?.stringValue == "date")
        let today = try daemon.ctl("--json", "pay", number, "--amount", "10.00", "--type", "cash", "--date", "2027-01-21")
        #expect(today.exitCode == 0, "\(today.stdout)\(today.stderr)")
        #expect(try paymentRows(daemon) == [["1000", "cash", "", "2027-01-21"]])
    }

    @Test func payerEmailThatIsNotAnAddressIsInvalidField() throws {
        let (daemon, number) = try daemonWithInvoice(now: "2027-01-20T12:00:00Z")
        for bad in ["not-an-address", "a@b", "tui@example.com\r\nBcc: x@example.com"] {
            let refused = try daemon.ctl("--json", "pay", number, "--amount", "10.00", "--type", "cash",
                                         "--payer-email", bad)
            #expect(refused.exitCode == 1, "\(bad)")
            #expect(try refused.json()["error"]?["code"]?.stringValue == "INVALID_FIELD", "\(refused.stdout)")
            #expect(try refused.json()["error"]?["field"]?.stringValue == "payerEmail")
        }
        #expect(try paymentRows(daemon).isEmpty)
        #expect(try daemon.ctl("pay", number, "--amount", "10.00", "--type", "cash",
                               "--payer-email", "tui@example.com").exitCode == 0)
    }
}
