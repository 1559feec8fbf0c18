import BillingTestKit
import ControlProtocol
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One template without Currency, so it takes the configured default: what a test reads back to see which
/// configuration was in force when it was imported.
func defaultCurrencyDocument(_ recordGuid: String, runDate: String = "2030-01-01T09:00:00") -> String {
    """
    {"Customers": [{"CustomerGUID": "c-1", "FirstName": "Ada", "Email": "ada@example.com"}],
     "RecurringInvoices": [{"Header": {"RecordGuid": "\(recordGuid)", "CustomerGUID": "c-1", "RepeatVery": "Monthly",
                                       "RunDate": "\(runDate)", "NextRunDate": "\(runDate)", "DueDays": 30},
                            "Lines": [{"LineGuid": "l-1", "ProductDescription": "Hosting", "Quantity": 1,
                                       "UnitPrice": "100.00", "TaxRate": 25}]}]}
    """
}

/// Imports `defaultCurrencyDocument(recordGuid)` and returns the currency the template was given.
func importedCurrency(_ daemon: DaemonProcess, _ recordGuid: String) throws -> String? {
    let imported = try daemon.ctl("import", "-", input: Data(defaultCurrencyDocument(recordGuid).utf8))
    #expect(imported.exitCode == 0, "\(imported.stderr)")
    return text(try daemon.ctl("--json", "templates", "show", recordGuid).json()["Header"]?["Currency"])
}

private func currencyConfig(_ code: String) -> String {
    "[billing]\ncurrency = \"\(code)\"\n"
}

@Suite("sd_notify: readiness, status, watchdog, reload, stop")
struct SystemdNotifyTests {
    @Test func readyComesBeforeTheFirstCycleWhoseStatusFollowsThenWatchdogPingsAtHalfTheIntervalAndSigtermStopsWithExitZero() throws {
        let notify = try NotifyListener()
        defer { notify.close() }
        let daemon = try DaemonProcess(environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000"])

        let (readyIndex, ready) = try notify.wait(for: "READY=1")
        let readyStatus = try #require(ready.value("STATUS"), "READY=1 comes with a STATUS= line")
        #expect(readyStatus.contains("first billing cycle running"), "\(readyStatus)")
        let firstCycle = try notify.wait(from: readyIndex + 1, "the first cycle's STATUS=") {
            $0.value("STATUS")?.contains("next wake") == true
        }.datagram
        let status = try #require(firstCycle.value("STATUS"))
        #expect(status.contains("next wake nothing scheduled"), "\(status)")
        #expect(status.contains("invoices due 0") && status.contains("outbox pending 0"), "\(status)")
        #expect(!notify.datagrams.prefix(while: { !$0.has("READY=1") }).contains { $0.has("WATCHDOG=1") },
                "no watchdog ping before the daemon is ready")

        // Eight pings at WATCHDOG_USEC=1 s: about 0.5 s apart, never as far apart as the whole interval.
        let pings = try notify.wait(for: 8, of: "WATCHDOG=1").map(\.at)
        let gaps = zip(pings.dropFirst(), pings).map { seconds($0 - $1) }.sorted()
        let median = gaps[gaps.count / 2]
        #expect((0.4...0.75).contains(median), "median gap between pings \(median) s; gaps \(gaps)")
        #expect(gaps.last! < 1.0, "a gap of a whole WATCHDOG_USEC would get the daemon killed; gaps \(gaps)")

        // A status change reaches systemd as STATUS= (the scheduler re-plans after an import).
        let before = notify.datagrams.count
        let imported = try daemon.ctl("import", "-", input: Data(defaultCurrencyDocument("t-status").utf8))
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        let replanned = try notify.wait(from: before, "a STATUS= naming the next wake") {
            $0.value("STATUS")?.contains("next wake 2030-01-01T09:00:00Z") == true
        }
        #expect(replanned.datagram.value("STATUS")?.contains("invoices due 0") == true)

        let stopFrom = notify.datagrams.count
        #expect(daemon.stop() == 0)
        #expect(daemon.termination == .exit(0))
        try notify.wait(for: "STOPPING=1", from: stopFrom, timeout: 5)
    }

    /// Idle control clients are dropped at once on SIGTERM rather than at their 30 s idle limit, which would use up
    /// TimeoutStopSec=30s and end in a SIGKILL.
    @Test func idleControlClientsDoNotHoldUpAStop() throws {
        let notify = try NotifyListener()
        defer { notify.close() }
        let daemon = try DaemonProcess(environment: ["NOTIFY_SOCKET": notify.path])
        try notify.wait(for: "READY=1")
        let idle = try (0..<3).map { _ in try RawControlConnection(path: daemon.socket) }
        idle[0].send(#"{"command": "sta"#)  // half a request, then nothing
        let startedAt = ContinuousClock.now
        #expect(daemon.stop() == 0)
        let took = seconds(ContinuousClock.now - startedAt)
        #expect(took < 10, "stopping took \(took) s with idle clients connected")
        for connection in idle { #expect(connection.readLine(timeout: 1) == .closed) }
        try notify.wait(for: "STOPPING=1", timeout: 1)
    }

    @Test func sighupReloadsBetweenReloadingAndReadyAndAnInvalidFileKeepsTheOldConfiguration() throws {
        let notify = try NotifyListener()
        defer { notify.close() }
        let daemon = try DaemonProcess(config: currencyConfig("EUR"), environment: ["NOTIFY_SOCKET": notify.path])
        try notify.wait(for: "READY=1")
        #expect(try importedCurrency(daemon, "t-before") == "EUR")

        try currencyConfig("SEK").write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        try expectReloadCycle(notify) { kill(daemon.pid, SIGHUP) }
        #expect(try importedCurrency(daemon, "t-reloaded") == "SEK", "the new file is in force after SIGHUP")

        try currencyConfig("XXX").write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        try expectReloadCycle(notify) { kill(daemon.pid, SIGHUP) }
        #expect(try importedCurrency(daemon, "t-after-invalid") == "SEK", "an invalid file leaves the old one in force")
        #expect(daemon.log().contains("configuration not reloaded, keeping the old one"), "\(daemon.log())")
        #expect(daemon.log().contains("XXX"), "the log names what is wrong")
        #expect(daemon.isRunning)
        #expect(daemon.stop() == 0)
    }

    @Test func billingctlReloadTakesTheSamePathAndReportsAnInvalidFile() throws {
        let notify = try NotifyListener()
        defer { notify.close() }
        let daemon = try DaemonProcess(config: currencyConfig("EUR"), environment: ["NOTIFY_SOCKET": notify.path])
        try notify.wait(for: "READY=1")

        try currencyConfig("NOK").write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        var reloaded: CommandResult?
        try expectReloadCycle(notify) { reloaded = try? daemon.ctl("reload") }
        #expect(reloaded?.exitCode == 0, "\(reloaded?.stderr ?? "")")
        #expect(try importedCurrency(daemon, "t-ctl") == "NOK")

        try "[billing]\ncurrency = 12\n".write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        var refused: CommandResult?
        try expectReloadCycle(notify) { refused = try? daemon.ctl("--json", "reload") }
        #expect(refused?.exitCode == 1)
        let error = try #require(try refused?.json()["error"])
        #expect(text(error["code"]) == "INVALID_CONFIG")
        #expect(text(error["message"])?.contains("billingd.conf:2") == true, "\(error)")
        #expect(try importedCurrency(daemon, "t-ctl-after") == "NOK")
        #expect(daemon.stop() == 0)
    }

    /// The watchdog's probe queries through the writer connection: while another program holds SQLite's write
    /// lock and a write inside billingd waits for it (busy_timeout), no WATCHDOG=1 is sent; afterwards pings resume.
    @Test func aStuckDatabaseStopsTheWatchdogPingsUntilItAnswersAgain() throws {
        let notify = try NotifyListener()
        defer { notify.close() }
        let daemon = try DaemonProcess(config: "[database]\nbusy_timeout_ms = 4000\n",
                                       environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000"])
        try notify.wait(for: "READY=1")
        try notify.wait(for: "WATCHDOG=1")

        // sqlite3 takes the write lock (waiting out the watchdog probe's own brief write lock, hence `.timeout`),
        // says so through a marker file and holds the lock until the test creates the release file.
        let marker = daemon.directory.appendingPathComponent("locked").path
        let release = daemon.directory.appendingPathComponent("release").path
        let locker = Process()
        locker.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        locker.arguments = [daemon.database, ".timeout 5000", "BEGIN IMMEDIATE;", ".shell touch \(marker)",
                            ".shell while [ ! -e \(release) ]; do sleep 0.05; done", "COMMIT;"]
        locker.standardOutput = FileHandle.nullDevice
        try locker.run()
        defer { _ = FileManager.default.createFile(atPath: release, contents: nil) }
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: marker) {
            guard Date() < deadline, locker.isRunning else { throw TestFailure("sqlite3 did not take the write lock") }
            usleep(10_000)
        }
        let blockedFrom = notify.datagrams.count
        let startedAt = ContinuousClock.now
        let refused = try daemon.ctl("import", "-", input: Data(defaultCurrencyDocument("t-locked").utf8))
        let blockedFor = seconds(ContinuousClock.now - startedAt)
        #expect(refused.exitCode == 1, "the import waited for the lock and gave up: \(refused.stdout) \(refused.stderr)")
        // The request reaches the writer some time after billingctl starts (a process start, a pool hop: up to a
        // second on a loaded machine), so the window begins 1.5 s in: at least 1.5 s in which an unblocked
        // watchdog would ping three times (every 0.5 s).
        let pingsWhileBlocked = notify.datagrams[blockedFrom...].filter {
            $0.has("WATCHDOG=1") && seconds($0.at - startedAt) > 1.5 && seconds($0.at - startedAt) < blockedFor - 0.1
        }
        #expect(blockedFor > 3, "busy_timeout 4 s held the writer for \(blockedFor) s")
        #expect(pingsWhileBlocked.isEmpty, "pings while the writer was stuck: \(pingsWhileBlocked.count)")

        _ = FileManager.default.createFile(atPath: release, contents: nil)
        locker.waitUntilExit()
        let resumedFrom = notify.datagrams.count
        try notify.wait(for: "WATCHDOG=1", from: resumedFrom, timeout: 5)
        #expect(try daemon.ctl("import", "-", input: Data(defaultCurrencyDocument("t-unlocked").utf8)).exitCode == 0)
        #expect(daemon.stop() == 0)
    }
}

/// Runs `trigger` and expects RELOADING=1 and then READY=1 after it.
private func expectReloadCycle(_ notify: NotifyListener, trigger: () throws -> Void) throws {
    let from = notify.datagrams.count
    try trigger()
    let reloading = try notify.wait(for: "RELOADING=1", from: from, timeout: 10)
    #expect(reloading.datagram.value("MONOTONIC_USEC") != nil)
    try notify.wait(for: "READY=1", from: reloading.index, timeout: 10)
}

func seconds(_ duration: Duration) -> Double {
    let (whole, atto) = duration.components
    return Double(whole) + Double(atto) / 1e18
}
