import BillingTestKit
import ControlProtocol
import Foundation
import Testing

/// DESIGN §4, end to end: with no configuration file, `billingd --database` moves the spool folders beside the
/// database, away from the state folder.
@Suite("Spool folders of the running daemon")
struct SpoolFolderTests {
    @Test func daemonStartedWithDatabaseOptionSpoolsEmailBesideTheDatabase() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("spool-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        // $STATE_DIRECTORY is the daemon's own temporary folder, as systemd would set it.
        let daemon = try DaemonProcess(extraArguments: ["--now", "2027-01-06T00:00:00Z"],
                                       database: data.appendingPathComponent("billing.sqlite").path)
        let document = """
            {"Customers": [{"CustomerGUID": "c-1", "FirstName": "Tui", "Email": "tui@example.com"}],
             "RecurringInvoices": [{"Header": {"RecordGuid": "t-1", "CustomerGUID": "c-1", "RepeatVery": "Monthly",
               "MaxRuns": 1, "RunDate": "2027-01-05T09:00:00", "NextRunDate": "2027-01-05T09:00:00", "DueDays": 10},
               "Lines": [{"LineGuid": "l", "Quantity": 1, "UnitPrice": "100.00", "TaxRate": 25}]}]}
            """
        #expect(try daemon.ctl("import", "-", input: Data(document.utf8)).exitCode == 0)
        #expect(try daemon.ctl("run").exitCode == 0)
        #expect(try daemon.ctl("drain").exitCode == 0)
        let spool = data.appendingPathComponent("spool/email").path
        let files = (try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []
        #expect(files.contains { $0.hasSuffix(".eml") }, "no e-mail in \(spool): \(daemon.log())")
        #expect(!FileManager.default.fileExists(atPath: daemon.directory.appendingPathComponent("spool").path),
                "nothing is spooled under the state folder")
    }

    @Test func aReloadThatNamesAnotherDatabaseKeepsTheSpoolBesideTheDatabaseInUse() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("spool-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data.appendingPathComponent("other"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let database = data.appendingPathComponent("billing.sqlite").path
        let daemon = try DaemonProcess(extraArguments: ["--now", "2027-01-06T00:00:00Z"],
                                       config: "[database]\npath = \"\(database)\"\n", database: database,
                                       databaseOption: false)
        let document = """
            {"Customers": [{"CustomerGUID": "c-1", "FirstName": "Tui", "Email": "tui@example.com"}],
             "RecurringInvoices": [{"Header": {"RecordGuid": "t-1", "CustomerGUID": "c-1", "RepeatVery": "Monthly",
               "MaxRuns": 1, "RunDate": "2027-01-05T09:00:00", "NextRunDate": "2027-01-05T09:00:00", "DueDays": 10},
               "Lines": [{"LineGuid": "l", "Quantity": 1, "UnitPrice": "100.00", "TaxRate": 25}]}]}
            """
        // The file now names another database; the daemon keeps its own until restarted, and its spool with it.
        let moved = data.appendingPathComponent("other/billing.sqlite").path
        try "[database]\npath = \"\(moved)\"\n".write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        #expect(try daemon.ctl("reload").exitCode == 0)
        #expect(try daemon.ctl("import", "-", input: Data(document.utf8)).exitCode == 0)
        #expect(try daemon.ctl("run").exitCode == 0)
        #expect(try daemon.ctl("drain").exitCode == 0)
        let spool = data.appendingPathComponent("spool/email").path
        #expect(eventually(within: 10) {
            ((try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []).contains { $0.hasSuffix(".eml") }
        }, "no e-mail beside the database in use: \(daemon.log())")
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("other/spool").path),
                "nothing spooled beside a database the daemon does not use")
    }
}
