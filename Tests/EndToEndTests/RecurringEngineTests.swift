import BillingTestKit
import ControlProtocol
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Templates anchored on the 31st and across Stockholm's DST changes, imported while nothing is due yet.
private let calendarDocument = """
    {"Customers": [{"CustomerGUID": "c-1", "FirstName": "Ada", "Email": "ada@example.com", "SmsConsent": false}],
     "RecurringInvoices": [
      {"Header": {"RecordGuid": "t-31st", "CustomerGUID": "c-1", "RepeatVery": "Monthly",
                  "RunDate": "2027-01-31T09:00:00", "NextRunDate": "2027-01-31T09:00:00", "DueDays": 30,
                  "Currency": "SEK", "CurrencyRate": "0.0875", "TimeZone": "Europe/Stockholm"},
       "Lines": [{"LineGuid": "l", "ProductDescription": "Hosting", "Quantity": 1, "UnitPrice": "499.00", "TaxRate": 25},
                 {"LineGuid": "m", "ProductDescription": "Mail", "Quantity": "3", "UnitPrice": "19.99", "TaxRate": 25}]},
      {"Header": {"RecordGuid": "t-dst", "CustomerGUID": "c-1", "RepeatVery": "Weekly",
                  "RunDate": "2027-03-21T02:30:00", "NextRunDate": "2027-03-21T02:30:00", "DueDays": 10,
                  "Currency": "EUR", "TimeZone": "Europe/Stockholm", "MaxRuns": 3},
       "Lines": [{"LineGuid": "w", "ProductDescription": "Night job", "Quantity": 1, "UnitPrice": "10.00", "TaxRate": 19}]}
     ]}
    """

@Suite("Recurring engine end to end")
struct RecurringEngineTests {
    /// Imports through a daemon whose clock stands before every run, then stops it, so that only the test's
    /// `--once` runs generate.
    private func importedDatabase(_ document: String, clock: String = "2026-12-01T00:00:00Z",
                                  config: String? = nil) throws -> DaemonProcess {
        let daemon = try DaemonProcess(extraArguments: ["--now", clock], config: config)
        let result = try daemon.ctl("--json", "import", "-", input: Data(document.utf8))
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        #expect(daemon.stop() == 0)
        return daemon
    }

    @Test func monthByMonthOnceRunsInvoiceTheLastDayOfShortMonthsAndFollowDST() throws {
        let daemon = try importedDatabase(calendarDocument)
        // One --once per month end, each a little after the month's run; then a second pass at the same
        // instants, which must generate nothing.
        let instants = ["2027-01-31T12:00:00+01:00", "2027-02-28T12:00:00+01:00", "2027-03-31T12:00:00+02:00",
                        "2027-04-30T12:00:00+02:00", "2027-05-31T12:00:00+02:00", "2027-06-30T12:00:00+02:00",
                        "2027-07-31T12:00:00+02:00", "2027-08-31T12:00:00+02:00", "2027-09-30T12:00:00+02:00",
                        "2027-10-31T12:00:00+01:00", "2027-11-30T12:00:00+01:00", "2027-12-31T12:00:00+01:00"]
        for instant in instants + instants {
            let once = try billingdOnce(database: daemon.database, now: instant)
            #expect(once.exitCode == 0, "\(once.stderr)")
        }
        let monthly = try SQLiteShell.rows(daemon.database, """
            SELECT number, issue_date, due_date, run_at_local, total_exc_vat, total_vat, total_inc_vat, s.status
            FROM invoices JOIN invoice_state s ON s.invoice_id = invoices.id
            WHERE template_id = (SELECT id FROM templates WHERE record_guid = 't-31st') ORDER BY run_index
            """)
        let expectedDates = ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30",
                             "2027-07-31", "2027-08-31", "2027-09-30", "2027-10-31", "2027-11-30", "2027-12-31"]
        #expect(monthly.map { $0[1] } == expectedDates)
        #expect(monthly[1][2] == "2027-03-30", "due date = issue date + 30 days")
        let summerOffset = monthly.filter { $0[3].hasSuffix("+02:00") }.map { $0[1] }
        #expect(summerOffset == Array(expectedDates[2...8]), "09:00 local is +02:00 from Mar 31 to Sep 30")
        #expect(monthly.allSatisfy { $0[3].contains("T09:00:00") })
        // 499.00 + 3 × 19.99 = 558.97 net; VAT per line 124.75 + 14.99 = 139.74; gross 698.71.
        #expect(monthly.allSatisfy { $0[4] == "55897" && $0[5] == "13974" && $0[6] == "69871" })
        // Due 30 days after issue: by Dec 31 every invoice but the last has been swept past due.
        #expect(monthly.map { $0[7] } == Array(repeating: "PastDue", count: 11) + ["Due"])

        let weekly = try SQLiteShell.rows(daemon.database, """
            SELECT run_at_local, supply_date FROM invoices
            WHERE template_id = (SELECT id FROM templates WHERE record_guid = 't-dst') ORDER BY run_index
            """)
        #expect(weekly.map { $0[0] } == ["2027-03-21T02:30:00+01:00", "2027-03-28T03:30:00+02:00",
                                          "2027-04-04T02:30:00+02:00"],
                "02:30 does not exist on 2027-03-28 and moves forward by the gap; MaxRuns 3 ends the template")
        #expect(weekly.map { $0[1] } == ["2027-03-21", "2027-03-28", "2027-04-04"])
        #expect(try SQLiteShell.scalar(daemon.database, "SELECT status FROM templates WHERE record_guid = 't-dst'") == "ended")

        // Numbers are gapless and follow generation order within the series.
        let numbers = try SQLiteShell.rows(daemon.database, "SELECT number FROM invoices ORDER BY sequence").map { $0[0] }
        #expect(numbers == (1...15).map { String(format: "INV-2027-%06d", $0) })
        let next = try SQLiteShell.scalar(daemon.database, "SELECT next_run_date FROM templates WHERE record_guid = 't-31st'")
        #expect(next == "2028-01-31T09:00:00")
    }

    @Test func previewListsNextRunsWithTotalsAndWritesNothing() throws {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2026-12-01T00:00:00Z"])
        #expect(try daemon.ctl("import", "-", input: Data(calendarDocument.utf8)).exitCode == 0)
        let before = try daemon.dump()
        let preview = try daemon.ctl("--json", "preview", "t-31st", "--count", "4")
        #expect(preview.exitCode == 0, "\(preview.stderr)")
        let json = try preview.json()
        #expect(json["template"]?["recordGuid"]?.stringValue == "t-31st")
        let runs = try #require(json["runs"]?.arrayValue)
        #expect(runs.map { $0["runAt"]?.stringValue } == ["2027-01-31T09:00:00+01:00", "2027-02-28T09:00:00+01:00",
                                                          "2027-03-31T09:00:00+02:00", "2027-04-30T09:00:00+02:00"])
        #expect(runs.map { $0["dueDate"]?.stringValue } == ["2027-03-02", "2027-03-30", "2027-04-30", "2027-05-30"])
        #expect(runs[0]["totals"] == ["excVat": "558.97", "vat": "139.74", "incVat": "698.71", "cost": "0.00"])
        #expect(runs[0]["vat"] == [["rate": "25", "net": "558.97", "vat": "139.74"]])
        #expect(try daemon.dump() == before)
        #expect(try daemon.ctl("preview", "nope").exitCode == 1)
    }

    @Test func secondRunGeneratesNothingAndRunTemplateTouchesOnlyThatTemplate() throws {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2027-01-15T00:00:00Z"])
        let document = calendarDocument
            .replacingOccurrences(of: "2027-01-31T09:00:00", with: "2027-01-31T09:00:00")
            .replacingOccurrences(of: "2027-03-21T02:30:00", with: "2027-01-04T02:30:00")
        #expect(try daemon.ctl("import", "-", input: Data(document.utf8)).exitCode == 0)
        // The import woke the scheduler; whichever of it and this `run` takes the job lock first generates the
        // weekly runs due by Jan 15 (Jan 4 and Jan 11), the other finds nothing left to do.
        let first = try daemon.ctl("--json", "run", "--template", "t-dst").json()
        #expect([0, 2].contains(first["generated"]?.intValue ?? -1))
        #expect(try daemon.ctl("--json", "invoices", "list").json()["invoices"]?.arrayValue?.count == 2)
        let again = try daemon.ctl("--json", "run").json()
        #expect(again["generated"]?.intValue == 0)
        let list = try daemon.ctl("--json", "invoices", "list").json()["invoices"]?.arrayValue ?? []
        // Caught up on Jan 15, both are issued that day (their supply dates are Jan 4 and Jan 11) and due 10 days
        // later, so neither is past due yet.
        #expect(list.map { $0["issueDate"]?.stringValue } == ["2027-01-15", "2027-01-15"])
        #expect(list.map { $0["status"]?.stringValue } == ["Due", "Due"])
        #expect(try daemon.ctl("--json", "invoices", "list", "--status", "Due").json()["invoices"]?.arrayValue?.count == 2)
        // The cycle drains the outbox after the sweep; wait until the e-mails have gone to the spool folder.
        #expect(try eventually(within: 10) {
            try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM outbox WHERE status <> 'sent'") == "0"
        })
        let shown = try daemon.ctl("--json", "invoices", "show", list[1]["number"]?.stringValue ?? "").json()
        #expect(shown["totals"]?["incVat"]?.stringValue == "11.90")
        #expect(shown["paymentReference"]?.stringValue?.hasPrefix("RF") == true)
        // Generation (issued e-mail queued, no SMS consent), then the drain.
        #expect(shown["history"]?.arrayValue?.map { $0["type"]?.stringValue } ==
                ["created", "published", "notification_queued", "notification_skipped", "notification_sent"])
        #expect(try daemon.ctl("--json", "invoices", "show", "INV-0000").json()["error"]?["code"]?.stringValue
                == "INVOICE_NOT_FOUND")
        #expect(try daemon.ctl("invoices", "list", "--status", "Late").exitCode == 1)
    }

    @Test func catchUpLimitPausesTheTemplateWithTheReason() throws {
        let config = "[billing]\ncatch_up_limit = 3\n"
        let daemon = try importedDatabase(calendarDocument, config: config)
        let once = try billingdOnce(database: daemon.database, now: "2027-12-31T12:00:00Z",
                                    config: daemon.directory.appendingPathComponent("billingd.conf").path)
        #expect(once.exitCode == 0)
        let row = try SQLiteShell.rows(daemon.database, """
            SELECT t.status, t.status_reason, (SELECT count(*) FROM invoices WHERE template_id = t.id), t.next_run_index
            FROM templates t WHERE record_guid = 't-31st'
            """)[0]
        #expect(row[0] == "paused")
        #expect(row[1].contains("catch_up_limit"))
        #expect(row[2] == "3" && row[3] == "3")
        #expect(try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM template_events WHERE type = 'paused'") == "1")
    }

    @Test func templateWhoseStoredRowBecameInvalidIsSkippedAndTheOthersKeepBilling() throws {
        let daemon = try importedDatabase(calendarDocument)
        try SQLiteShell.execute(daemon.database, """
            UPDATE template_lines SET quantity = 'lots'
            WHERE template_id = (SELECT id FROM templates WHERE record_guid = 't-31st')
            """)
        let once = try billingdOnce(database: daemon.database, now: "2027-04-10T00:00:00Z")
        #expect(once.exitCode == 0)
        #expect(once.stderr.contains("<3>template skipped"), "a journal error names the template: \(once.stderr)")
        #expect(try SQLiteShell.scalar(daemon.database, """
            SELECT count(*) FROM invoices WHERE template_id = (SELECT id FROM templates WHERE record_guid = 't-dst')
            """) == "3")
        #expect(try SQLiteShell.scalar(daemon.database, """
            SELECT count(*) FROM invoices WHERE template_id = (SELECT id FROM templates WHERE record_guid = 't-31st')
            """) == "0")
        let event = try SQLiteShell.rows(daemon.database, "SELECT type, message FROM template_events")
        #expect(event.first?[0] == "invalid_row")
        #expect(event.first?[1].contains("quantity") == true)
    }
}

@Suite("Crash safety of generation")
struct GenerationCrashTests {
    @Test func sigkillDuringCatchUpNeverDuplicatesOrSkipsAnInvoiceNumber() throws {
        let templates = 30
        var items: [String] = []
        for t in 0..<templates {
            items.append("""
                {"Header": {"RecordGuid": "t-\(t)", "CustomerGUID": "c-1", "RepeatVery": "Daily",
                            "RunDate": "2026-01-01T09:00:00", "NextRunDate": "2026-01-01T09:00:00", "DueDays": 14,
                            "Currency": "EUR", "TimeZone": "Europe/Stockholm"},
                 "Lines": [{"LineGuid": "a", "Quantity": 1, "UnitPrice": "9.99", "TaxRate": 24},
                           {"LineGuid": "b", "Quantity": "2.5", "UnitPrice": "3.10", "TaxRate": 14}]}
                """)
        }
        let document = """
            {"Customers": [{"CustomerGUID": "c-1", "Email": "a@example.com", "MobilePhoneNumber": "+358401234567",
                            "SmsConsent": true}],
             "RecurringInvoices": [\(items.joined(separator: ","))]}
            """
        let config = "[billing]\ncatch_up_limit = 1000\n"
        let daemon = try DaemonProcess(extraArguments: ["--now", "2025-12-01T00:00:00Z"], config: config)
        #expect(try daemon.ctl("import", "-", input: Data(document.utf8)).exitCode == 0)
        #expect(daemon.stop() == 0)
        let configPath = daemon.directory.appendingPathComponent("billingd.conf").path
        let now = "2026-11-20T12:00:00Z"
        // Daily runs at 09:00 Stockholm from Jan 1 to Nov 20 inclusive.
        let runsPerTemplate = 324

        // Kills land at random moments; every other one only after the run committed one more step, so the
        // restarts really resume a half-done catch-up.
        let kills = Int(ProcessInfo.processInfo.environment["BILLINGD_CRASH_KILLS"] ?? "") ?? 25
        var generator = SystemRandomNumberGenerator()
        var interrupted: [Int] = []
        for round in 0..<kills {
            let before = Int(try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM invoices")) ?? 0
            if before == templates * runsPerTemplate { break }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Products.billingd)
            process.arguments = ["--once", "--database", daemon.database, "--config", configPath, "--now", now]
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Odd rounds kill at a random instant from start-up on (opening the database, migrating, planning);
            // even rounds wait for the next commit first.
            let deadline = Date().addingTimeInterval(round % 2 == 1 ? 0 : 60)
            while process.isRunning, Date() < deadline,
                  (Int(try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM invoices")) ?? 0) == before {
                usleep(5_000)
            }
            usleep(UInt32.random(in: 0...(round % 2 == 1 ? 150_000 : 60_000), using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            interrupted.append(Int(try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM invoices")) ?? 0)
        }
        print("crash test: invoices stored after each SIGKILL: \(interrupted) of \(templates * runsPerTemplate)")
        #expect(interrupted.contains { $0 > 0 && $0 < templates * runsPerTemplate },
                "at least one kill interrupted the catch-up half-way: \(interrupted)")
        let finish = try billingdOnce(database: daemon.database, now: now, config: configPath)
        #expect(finish.exitCode == 0)

        let total = try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM invoices")
        #expect(total == String(templates * runsPerTemplate))
        #expect(try SQLiteShell.rows(daemon.database, """
            SELECT template_id, run_index FROM invoices GROUP BY template_id, run_index HAVING count(*) > 1
            """).isEmpty)
        let series = try SQLiteShell.rows(daemon.database,
                                          "SELECT series, count(*), min(sequence), max(sequence) FROM invoices GROUP BY series")
        #expect(series.count == 1)
        #expect(series[0][1] == series[0][3] && series[0][2] == "1", "numbers gapless: \(series)")
        let perTemplate = try SQLiteShell.rows(daemon.database, """
            SELECT t.next_run_index, t.next_run_date, (SELECT count(*) FROM invoices WHERE template_id = t.id),
                   (SELECT count(*) FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.template_id = t.id),
                   (SELECT count(*) FROM outbox o JOIN invoices i ON i.id = o.invoice_id WHERE i.template_id = t.id AND o.kind = 'invoice_issued')
            FROM templates t
            """)
        for row in perTemplate {
            #expect(row == [String(runsPerTemplate), "2026-11-21T09:00:00", String(runsPerTemplate),
                            String(2 * runsPerTemplate), String(2 * runsPerTemplate)])
        }
        #expect(try SQLiteShell.scalar(daemon.database, "PRAGMA integrity_check") == "ok")
    }
}

@Suite("Scheduler")
struct SchedulerTests {
    @Test func schedulerWakesAtTheNextRunWithoutBeingAsked() throws {
        // The simulated clock starts 3 s before the weekly run; nothing but the scheduler's own timer triggers it.
        let daemon = try DaemonProcess(extraArguments: ["--now", "2027-03-21T02:29:57+01:00"])
        let weeklyOnly = calendarDocument.replacingOccurrences(of: "2027-01-31T09:00:00", with: "2028-01-31T09:00:00")
        #expect(try daemon.ctl("import", "-", input: Data(weeklyOnly.utf8)).exitCode == 0)
        #expect(try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM invoices") == "0")
        let status = try daemon.ctl("--json", "status").json()
        #expect(status["nextWakeAt"]?.stringValue == "2027-03-21T01:30:00Z")
        // Wait for the invoice and for the cycle's drain to send its e-mail: until then the pending message, due
        // now, is the next wake.
        let deadline = Date().addingTimeInterval(15)
        var count = "0"
        var unsent = "0"
        while count == "0" || unsent != "0", Date() < deadline {
            usleep(100_000)
            count = try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM invoices")
            unsent = try SQLiteShell.scalar(daemon.database,
                                            "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')")
        }
        #expect(count == "1")
        #expect(try daemon.ctl("--json", "status").json()["nextWakeAt"]?.stringValue == "2027-03-28T01:30:00Z")
        #expect(daemon.stop() == 0)
    }
}

@Suite("Generation failures stay with their template")
struct GenerationIsolationTests {
    @Test func aTemplateWhoseInvoiceCannotBeWrittenIsPausedAndTheOthersAreInvoiced() throws {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2026-12-01T00:00:00Z"])
        #expect(try daemon.ctl("import", "-", input: Data(calendarDocument.utf8)).exitCode == 0)
        #expect(daemon.stop() == 0)
        // Another program's trigger refuses the weekly template's invoices only.
        try SQLiteShell.execute(daemon.database, """
            CREATE TRIGGER refuse_weekly BEFORE INSERT ON invoices
            WHEN NEW.template_id = (SELECT id FROM templates WHERE record_guid = 't-dst')
            BEGIN SELECT RAISE(ABORT, 'refused by an accounting rule'); END;
            """)
        let once = try billingdOnce(database: daemon.database, now: "2027-04-10T00:00:00Z")
        #expect(once.exitCode == 0, "\(once.stderr)")
        let counts = try SQLiteShell.rows(daemon.database, """
            SELECT t.record_guid, t.status, (SELECT count(*) FROM invoices WHERE template_id = t.id)
            FROM templates t ORDER BY t.record_guid
            """)
        #expect(counts == [["t-31st", "active", "3"], ["t-dst", "paused", "0"]])
        let reason = try SQLiteShell.scalar(daemon.database, "SELECT status_reason FROM templates WHERE record_guid = 't-dst'")
        #expect(reason.contains("refused by an accounting rule"))
        let numbers = try SQLiteShell.rows(daemon.database, "SELECT sequence FROM invoices ORDER BY sequence").map { $0[0] }
        #expect(numbers == ["1", "2", "3"], "numbers stay gapless around the refused template")
    }
}

@Suite("Template pause and resume")
struct TemplatePauseTests {
    @Test func aPausedTemplateDoesNotBillAndResumingCatchesUpItsMissedRuns() throws {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2027-01-20T00:00:00Z"])
        let weeklyOnly = calendarDocument.replacingOccurrences(of: "2027-01-31T09:00:00", with: "2028-01-31T09:00:00")
            .replacingOccurrences(of: "2027-03-21T02:30:00", with: "2027-02-01T02:30:00")
        #expect(try daemon.ctl("import", "-", input: Data(weeklyOnly.utf8)).exitCode == 0)
        let paused = try daemon.ctl("--json", "templates", "pause", "t-dst", "--reason", "customer on holiday").json()
        #expect(paused["status"]?.stringValue == "paused")
        #expect(try daemon.ctl("--json", "templates", "pause", "t-dst").json()["error"]?["code"]?.stringValue
                == "INVALID_TRANSITION")
        #expect(try daemon.ctl("--json", "templates", "show", "t-dst").json()["statusReason"]?.stringValue
                == "customer on holiday")
        #expect(daemon.stop() == 0)
        // Weeks later the template is still paused: nothing is billed.
        #expect(try billingdOnce(database: daemon.database, now: "2027-02-20T00:00:00Z").exitCode == 0)
        #expect(try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM invoices") == "0")

        let again = try DaemonProcess(extraArguments: ["--now", "2027-02-20T00:00:00Z"], database: daemon.database)
        #expect(try again.ctl("--json", "templates", "resume", "t-dst").json()["status"]?.stringValue == "active")
        #expect(try again.ctl("run").exitCode == 0)
        // Runs on Feb 1, 8 and 15 were missed while paused; MaxRuns 3 then ends the template.
        #expect(try SQLiteShell.rows(daemon.database, "SELECT supply_date FROM invoices ORDER BY run_index").map { $0[0] }
                == ["2027-02-01", "2027-02-08", "2027-02-15"])
        #expect(try SQLiteShell.scalar(daemon.database, "SELECT status FROM templates WHERE record_guid = 't-dst'") == "ended")
        #expect(again.stop() == 0)
    }
}

@Suite("Currency conversion")
struct CurrencyConversionTests {
    @Test func anInvoiceInAnotherCurrencyShowsItsTotalsConvertedAtItsRateBesideTheDocumentAmounts() throws {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2027-01-10T00:00:00Z"],
                                       config: "[billing]\ncurrency = \"SEK\"\n")
        let document = """
            {"Customers": [{"CustomerGUID": "c-us", "CompanyName": "Acme Inc."}],
             "RecurringInvoices": [{"Header": {"RecordGuid": "t-usd", "CustomerGUID": "c-us", "RepeatVery": "Yearly",
                "RunDate": "2027-01-05T09:00:00", "NextRunDate": "2027-01-05T09:00:00", "DueDays": 30,
                "Currency": "USD", "CurrencyRate": "10.4567", "TimeZone": "America/New_York"},
              "Lines": [{"LineGuid": "l", "Quantity": 3, "UnitPrice": "33.33", "TaxRate": 0}]}]}
            """
        #expect(try daemon.ctl("import", "-", input: Data(document.utf8)).exitCode == 0)
        #expect(try daemon.ctl("run").exitCode == 0)
        let number = try #require(try daemon.ctl("--json", "invoices", "list").json()["invoices"]?[0]?["number"]?.stringValue)
        let shown = try daemon.ctl("--json", "invoices", "show", number).json()
        #expect(shown["totals"]?["incVat"]?.stringValue == "99.99")
        #expect(shown["currency"]?.stringValue == "USD")
        // 99.99 × 10.4567 = 1045.565433 → 1045.57 SEK
        #expect(shown["converted"] == ["currency": "SEK", "rate": "10.4567", "excVat": "1045.57", "vat": "0.00",
                                       "incVat": "1045.57"])
    }
}
