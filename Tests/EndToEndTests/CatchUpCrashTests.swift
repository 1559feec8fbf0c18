import Foundation
import TestSupport
import Testing

@Suite("Crash: SIGKILL during catch-up generation")
struct CatchUpCrashTests {
    /// `templates` daily templates, one customer each (SMS only, so each invoice queues one text message), first
    /// run 2027-01-01 09:00 UTC: imported while nothing was due.
    static func document(templates: Int) -> String {
        let customers = (1...templates).map { i in
            #"{"CustomerGUID": "c-\#(i)", "FirstName": "Kund", "LastName": "\#(i)", "MobilePhoneNumber": "+4670\#(1_000_000 + i)", "SmsConsent": true, "Language": "sv"}"#
        }
        let recurring = (1...templates).map { i in
            #"""
            {"Header": {"RecordGuid": "t-\#(i)", "CustomerGUID": "c-\#(i)", "RepeatVery": "Daily",
                        "RunDate": "2027-01-01T09:00:00", "NextRunDate": "2027-01-01T09:00:00", "DueDays": 30,
                        "Currency": "SEK", "CurrencyRate": "0.0875", "TimeZone": "UTC"},
             "Lines": [{"LineGuid": "l-1", "ProductDescription": "Drift", "Quantity": \#(i), "UnitPrice": "12.50", "TaxRate": 25},
                       {"LineGuid": "l-2", "ProductDescription": "Böcker", "Quantity": 1, "UnitPrice": "99.00", "TaxRate": 6}]}
            """#
        }
        return #"{"Customers": [\#(customers.joined(separator: ","))], "RecurringInvoices": [\#(recurring.joined(separator: ","))]}"#
    }

    /// The daemon is killed at random instants (seeded) while it catches up on a few hundred missed daily runs per
    /// template, and restarted each time. After every restart the database must hold each run at most once, gapless
    /// invoice numbers, every invoice with its outbox row, and pass `PRAGMA integrity_check`; at the end every run
    /// due is invoiced exactly once.
    @Test(.timeLimit(.minutes(20)))
    func sigkillAtRandomInstantsDuringCatchUpBillsEveryRunOnceWithGaplessNumbers() throws {
        // 2027-01-01 … 2027-11-30, or … 2029-11-30 (1,065 runs) heavy. The import document must stay below the
        // control protocol's 64 KiB string limit, hence longer catch-ups rather than many more templates.
        let templates = HeavyTests.size(24, heavy: 64), kills = HeavyTests.size(20, heavy: 100)
        let now = HeavyTests.enabled ? "2029-12-01T00:00:00Z" : "2027-12-01T00:00:00Z"
        let runsDue = HeavyTests.size(334, heavy: 1_065)
        let fixture = try OutboxFixture("[billing]\ncatch_up_limit = 2000\n[sms]\nrate_per_second = 10000\n",
                                        document: Self.document(templates: templates))
        let log = fixture.folder.appendingPathComponent("crash.log")
        var random = SplitMix64(seed: 0xC0FF_EE12_2027)
        var killsMidCatchUp = 0, restarts = 0, committedBefore = 0, killsAfterACommit = 0
        var maxDelay = 60
        while true {
            let delay = random.int(in: 10...maxDelay)
            let killed = try KilledRun.run(["--once", "--database", fixture.database, "--config", fixture.configPath,
                                            "--now", now], environment: fixture.environment,
                                           killAfterMilliseconds: killsMidCatchUp >= kills ? 600_000 : delay, log: log)
            restarts += 1
            let invoices = Int(try SQLiteShell.scalar(fixture.database, "SELECT count(*) FROM invoices")) ?? -1
            let violations = try BillingInvariants.violations(fixture.database, outboxRowsPerInvoice: 1)
            #expect(violations == [], "after restart \(restarts) (killed after \(delay) ms: \(killed))")
            if !violations.isEmpty || !killed { break }
            if invoices < templates * runsDue {
                killsMidCatchUp += 1
                if invoices > committedBefore { killsAfterACommit += 1 }
                committedBefore = invoices
            } else if killsMidCatchUp < kills {
                Issue.record("catch-up finished after \(killsMidCatchUp) kills; the workload is too small")
                break
            }
            // Kills that land before the first transaction commits make no progress: give the next run more time.
            if invoices == 0 { maxDelay += 5 }
        }
        #expect(killsMidCatchUp >= kills)
        let perTemplate = try fixture.rows("""
            SELECT template_id, count(*), count(DISTINCT run_index), min(run_index), max(run_index)
            FROM invoices GROUP BY template_id
            """)
        #expect(perTemplate.count == templates)
        #expect(perTemplate.allSatisfy { $0[1] == String(runsDue) && $0[2] == String(runsDue) && $0[3] == "0"
                                         && $0[4] == String(runsDue - 1) }, "\(perTemplate.prefix(3))")
        print("catch-up crash test: \(killsMidCatchUp) kills mid catch-up (\(killsAfterACommit) after the run had committed "
              + "invoices) in \(restarts) runs, \(templates * runsDue) invoices")
    }
}
