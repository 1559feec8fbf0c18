import BillingTestKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The heavy variants of the crash and fault suite (100 kills, 10,000 messages, 20,000 fuzz documents) run only
/// with BILLINGD_HEAVY_TESTS=1; the default suite runs the same tests at sizes CI can afford.
enum HeavyTests {
    static let enabled = ProcessInfo.processInfo.environment["BILLINGD_HEAVY_TESTS"] == "1"

    static func size(_ normal: Int, heavy: Int) -> Int { enabled ? heavy : normal }
}

/// Another program holding SQLite's write lock: the sqlite3 shell in a `BEGIN EXCLUSIVE` transaction, until
/// `release()`. It waits for a lock billingd holds at that moment (`.timeout`), then reports through a marker file.
final class ForeignWriteLock {
    private let process = Process()
    private let releaseFile: String

    init(database: String, folder: URL) throws {
        let marker = folder.appendingPathComponent("locked-\(UUID().uuidString)").path
        releaseFile = folder.appendingPathComponent("release-\(UUID().uuidString)").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database, ".timeout 10000", "BEGIN EXCLUSIVE;", ".shell touch \(marker)",
                             ".shell while [ ! -e \(releaseFile) ]; do sleep 0.05; done", "COMMIT;"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        guard eventually(within: 20, { FileManager.default.fileExists(atPath: marker) }) else {
            release()
            throw TestFailure("sqlite3 did not take the write lock")
        }
    }

    func release() {
        _ = FileManager.default.createFile(atPath: releaseFile, contents: nil)
        process.waitUntilExit()
    }

    deinit { release() }
}

/// A small tmpfs, so that the database's file system can be filled up. Needs root (the tests run as root in CI);
/// `unavailableReason` says why it cannot be mounted here.
final class SmallFileSystem {
    let mountPoint: URL

    static let unavailableReason: String? = {
        if geteuid() != 0 { return "mounting a tmpfs needs root; the tests run as uid \(geteuid())" }
        guard let probe = try? SmallFileSystem(kibibytes: 64) else { return "mount -t tmpfs is not permitted here" }
        probe.unmount()
        return nil
    }()

    init(kibibytes: Int) throws {
        mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("tmpfs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let result = try runProgram("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kibibytes)k", "tmpfs", mountPoint.path])
        guard result.exitCode == 0 else {
            try? FileManager.default.removeItem(at: mountPoint)
            throw TestFailure("mount failed: \(result.stderr)")
        }
    }

    /// Writes a filler file until the file system is full.
    func fill() throws {
        _ = try runProgram("/bin/dd", ["if=/dev/zero", "of=\(mountPoint.path)/filler", "bs=4096"])
    }

    func free() throws {
        try FileManager.default.removeItem(at: mountPoint.appendingPathComponent("filler"))
    }

    func unmount() {
        _ = try? runProgram("/bin/umount", ["-l", mountPoint.path])
        try? FileManager.default.removeItem(at: mountPoint)
    }

    deinit { unmount() }
}

/// `chattr +i`: a file that even root cannot write, as a read-only database looks to a daemon running as root.
enum ImmutableFlag {
    static let unavailableReason: String? = {
        if geteuid() != 0 { return "chattr +i needs root; the tests run as uid \(geteuid())" }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("chattr-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: probe, contents: nil)
        defer { _ = try? set(false, probe); try? FileManager.default.removeItem(atPath: probe) }
        return (try? set(true, probe)) == true ? nil : "chattr +i is not supported on \(probe)'s file system"
    }()

    @discardableResult
    static func set(_ immutable: Bool, _ paths: String...) throws -> Bool {
        let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
        return try runProgram("/usr/bin/chattr", [immutable ? "+i" : "-i"] + existing).exitCode == 0
    }
}

/// The exactly-once rules a crash must not break, read with the sqlite3 shell.
enum BillingInvariants {
    /// What is wrong with the database; empty when every rule holds: each (template, run) invoiced at most once,
    /// invoice numbers gapless from 1 in every series, every invoice with `outboxRowsPerInvoice` outbox rows of
    /// kind invoice_issued, and `PRAGMA integrity_check` ok.
    static func violations(_ database: String, outboxRowsPerInvoice: Int) throws -> [String] {
        var problems: [String] = []
        let integrity = try SQLiteShell.rows(database, "PRAGMA integrity_check").map { $0.joined() }
        if integrity != ["ok"] { problems.append("integrity_check: \(integrity.prefix(3))") }
        let twice = try SQLiteShell.rows(database, """
            SELECT template_id, run_index, count(*) FROM invoices GROUP BY template_id, run_index HAVING count(*) > 1
            """)
        if !twice.isEmpty { problems.append("runs invoiced twice: \(twice.prefix(3))") }
        let series = try SQLiteShell.rows(database, """
            SELECT series, count(*), min(sequence), max(sequence), count(DISTINCT number) FROM invoices GROUP BY series
            """)
        for row in series where !(row[1] == row[3] && row[2] == "1" && row[4] == row[1]) {
            problems.append("numbers not gapless in series \(row[0]): count \(row[1]), from \(row[2]) to \(row[3])")
        }
        let withoutOutbox = try SQLiteShell.scalar(database, """
            SELECT count(*) FROM invoices i WHERE (SELECT count(*) FROM outbox o
                WHERE o.invoice_id = i.id AND o.kind = 'invoice_issued') != \(outboxRowsPerInvoice)
            """)
        if withoutOutbox != "0" { problems.append("\(withoutOutbox) invoices without their outbox rows") }
        return problems
    }
}

/// One billingd run that may be killed: started, given `after` to work, then SIGKILLed if it still runs.
enum KilledRun {
    /// Runs billingd with `arguments`; returns true when the SIGKILL landed (it was still running).
    static func run(_ arguments: [String], environment: [String: String] = [:], killAfterMilliseconds: Int,
                    log: URL) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Products.billingd)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        for name in ["NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "WATCHDOG_USEC", "JOURNAL_STREAM"] {
            merged.removeValue(forKey: name)
        }
        process.environment = merged
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(TimeInterval(killAfterMilliseconds) / 1000)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        let killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try handle.close()
        if !killed && process.terminationStatus != 0 {
            throw TestFailure("billingd exited with \(process.terminationStatus): see \(log.path)")
        }
        return killed
    }
}
