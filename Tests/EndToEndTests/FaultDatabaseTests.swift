import BillingTestKit
import ControlProtocol
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A fault as the operator sees it: in `billingctl status` (text and JSON) and in the journal fields (the daemon's
/// stderr carries the same fields when it runs off the journal).
struct ReportedFault {
    static let raised = "message_id=be3ad2cc6f314469a435f0a1755a146e"
    static let cleared = "message_id=308d0076fe3041c4b18c1ff36b3fca58"

    /// Checks that `daemon` reports the fault `code` in `scope` everywhere.
    static func expectRaised(_ code: String, scope: String = "cycle", _ daemon: DaemonProcess) throws {
        let status = try daemon.ctl("--json", "status")
        let faults = try status.json()["faults"]?.arrayValue ?? []
        #expect(faults.contains { text($0["code"]) == code && text($0["scope"]) == scope }, "\(status.stdout)")
        let human = try daemon.ctl("status").stdout
        #expect(human.contains("FAULT      \(code) in \(scope) since "), "\(human)")
        let entry = daemon.log().split(separator: "\n").first { $0.contains(raised) && $0.contains("error_code=\(code)") }
        #expect(entry?.contains("fault_scope=\(scope)") == true, "no fault entry in \(daemon.log().suffix(2_000))")
    }

    /// Checks that the fault `code` ended: gone from `billingctl status`, a "cleared" journal entry logged.
    static func expectCleared(_ code: String, _ daemon: DaemonProcess) throws {
        #expect(try eventually(within: 30) {
            try daemon.ctl("--json", "status").json()["faults"]?.arrayValue?.isEmpty == true
        })
        #expect(daemon.log().split(separator: "\n").contains { $0.contains(cleared) && $0.contains("error_code=\(code)") })
    }
}

extension NotifyListener {
    /// Waits for a STATUS= that leads with `prefix` (or, `leads: false`, one that does not).
    @discardableResult
    func waitForStatus(leading prefix: String, leads: Bool = true, from: Int = 0,
                       timeout: TimeInterval = 90) throws -> (index: Int, datagram: Datagram) {
        try wait(from: from, timeout: timeout, "STATUS= \(leads ? "leading" : "not leading") with \(prefix)") {
            $0.value("STATUS").map { $0.hasPrefix(prefix) == leads } ?? false
        }
    }
}

@Suite("Faults: the database locked, full or read-only")
struct FaultDatabaseTests {
    /// A short busy timeout, so the lock test's writer gives up quickly.
    static let settings = "[database]\nbusy_timeout_ms = 300\n"
    /// Three monthly runs of the fixture's template are due at this instant (Jan 31, Feb 28, Mar 31).
    static let threeRunsDue = "2027-03-31T12:00:00+02:00"
    /// The fixture's first run (09:00 Stockholm) falls due 8 s after a daemon started at this instant: time enough
    /// to start it and stop it (SIGSTOP) before the run, even on a loaded machine.
    static let firstRunSoon = "2027-01-31T08:59:52+01:00"

    static func daemon(_ fixture: OutboxFixture, now: String, notify: NotifyListener,
                       database: String? = nil) throws -> DaemonProcess {
        var environment = fixture.environment
        environment["NOTIFY_SOCKET"] = notify.path
        return try DaemonProcess(extraArguments: ["--now", now], config: fixture.config, environment: environment,
                                 database: database ?? fixture.database)
    }

    /// Runs `condition` while the daemon is stopped (SIGSTOP), so the fault starts before its next job does.
    static func whileStopped(_ daemon: DaemonProcess, database: String, _ condition: () throws -> Void) throws {
        kill(daemon.pid, SIGSTOP)
        defer { kill(daemon.pid, SIGCONT) }
        try #require(try SQLiteShell.rows(database, "SELECT count(*) FROM invoices") == [["0"]],
                     "the run fell due before the daemon was stopped; the fault would have started too late")
        try condition()
    }

    @Test func aDatabaseLockedByAnotherWriterIsAFaultThatClearsByItselfAndBillsEachRunOnce() throws {
        let fixture = try OutboxFixture(Self.settings)
        let lock = try ForeignWriteLock(database: fixture.database, folder: fixture.folder)
        let notify = try NotifyListener()
        defer { notify.close() }
        let daemon = try Self.daemon(fixture, now: Self.threeRunsDue, notify: notify)

        let fault = try notify.waitForStatus(leading: "FAULT DATABASE_LOCKED: ")
        #expect(fault.datagram.value("STATUS")?.contains("; next wake ") == true, "\(fault.datagram)")
        try ReportedFault.expectRaised("DATABASE_LOCKED", daemon)
        #expect(try fixture.rows("SELECT count(*) FROM invoices") == [["0"]], "a failed transaction wrote nothing")

        lock.release()
        try notify.waitForStatus(leading: "FAULT", leads: false, from: fault.index)
        #expect(try fixture.rows("SELECT count(*), count(DISTINCT run_index) FROM invoices") == [["3", "3"]])
        try ReportedFault.expectCleared("DATABASE_LOCKED", daemon)
        #expect(try BillingInvariants.violations(fixture.database, outboxRowsPerInvoice: 2) == [])
        #expect(daemon.stop() == 0)
    }

    @Test(.enabled(if: SmallFileSystem.unavailableReason == nil,
                   Comment(rawValue: SmallFileSystem.unavailableReason ?? "a tmpfs can be mounted")))
    func aFullDiskIsAFaultThatClearsOnceSpaceIsFreedAndLosesNothing() throws {
        let fixture = try OutboxFixture(Self.settings)
        let disk = try SmallFileSystem(kibibytes: 4_096)
        let database = disk.mountPoint.appendingPathComponent("billing.sqlite").path
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: fixture.database + suffix) {
            try FileManager.default.copyItem(atPath: fixture.database + suffix, toPath: database + suffix)
        }
        let notify = try NotifyListener()
        defer { notify.close() }
        let daemon = try Self.daemon(fixture, now: Self.firstRunSoon, notify: notify, database: database)
        try Self.whileStopped(daemon, database: database) { try disk.fill() }

        let fault = try notify.waitForStatus(leading: "FAULT DATABASE_FULL: ")
        try ReportedFault.expectRaised("DATABASE_FULL", daemon)
        #expect(try SQLiteShell.rows(database, "SELECT count(*) FROM invoices") == [["0"]])

        try disk.free()
        try notify.waitForStatus(leading: "FAULT", leads: false, from: fault.index)
        #expect(try SQLiteShell.rows(database, "SELECT count(*) FROM invoices") == [["1"]])
        try ReportedFault.expectCleared("DATABASE_FULL", daemon)
        #expect(try BillingInvariants.violations(database, outboxRowsPerInvoice: 2) == [])
        #expect(daemon.stop() == 0)
    }

    @Test(.enabled(if: ImmutableFlag.unavailableReason == nil,
                   Comment(rawValue: ImmutableFlag.unavailableReason ?? "chattr works")))
    func aReadOnlyDatabaseIsAFaultThatClearsOnceItIsWritableAgain() throws {
        let fixture = try OutboxFixture(Self.settings)
        let files = [fixture.database, fixture.database + "-wal"]
        defer { _ = try? ImmutableFlag.set(false, files[0], files[1]) }
        let notify = try NotifyListener()
        defer { notify.close() }
        let daemon = try Self.daemon(fixture, now: Self.firstRunSoon, notify: notify)
        try Self.whileStopped(daemon, database: fixture.database) { try ImmutableFlag.set(true, files[0], files[1]) }

        let fault = try notify.waitForStatus(leading: "FAULT DATABASE_READ_ONLY: ")
        try ReportedFault.expectRaised("DATABASE_READ_ONLY", daemon)
        #expect(try fixture.rows("SELECT count(*) FROM invoices") == [["0"]])

        try ImmutableFlag.set(false, files[0], files[1])
        try notify.waitForStatus(leading: "FAULT", leads: false, from: fault.index)
        #expect(try fixture.rows("SELECT count(*) FROM invoices") == [["1"]])
        try ReportedFault.expectCleared("DATABASE_READ_ONLY", daemon)
        #expect(try BillingInvariants.violations(fixture.database, outboxRowsPerInvoice: 2) == [])
        #expect(daemon.stop() == 0)
    }

    @Test(.enabled(if: ImmutableFlag.unavailableReason == nil,
                   Comment(rawValue: ImmutableFlag.unavailableReason ?? "chattr works")))
    func billingdRefusesToStartOnAReadOnlyDatabaseWithACodedError() throws {
        let fixture = try OutboxFixture()
        try ImmutableFlag.set(true, fixture.database)
        defer { _ = try? ImmutableFlag.set(false, fixture.database) }
        let result = try billingdOnce(database: fixture.database, now: OutboxFixture.firstRun)
        #expect(result.exitCode != 0)
        #expect(result.stderr.contains("is read-only"), "\(result.stderr)")
        #expect(result.stderr.contains("DATABASE_READ_ONLY"), "\(result.stderr)")
    }
}
