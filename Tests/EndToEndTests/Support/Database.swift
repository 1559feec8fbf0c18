import BillingTestKit
import Foundation

/// Reads a billingd database the way an operator would, with the sqlite3 shell, so tests check what is really
/// stored rather than what the daemon says about it.
/// A busy timeout lets a read wait while a restarted billingd recovers the WAL left by a killed one.
enum SQLiteShell {
    static func rows(_ database: String, _ sql: String) throws -> [[String]] {
        let result = try runProgram("/usr/bin/sqlite3", ["-batch", "-cmd", ".timeout 10000", "-separator", "|", database, sql])
        guard result.exitCode == 0 else { throw TestFailure("sqlite3 failed: \(result.stderr)") }
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    }

    static func scalar(_ database: String, _ sql: String) throws -> String {
        try rows(database, sql).first?.first ?? ""
    }

    static func execute(_ database: String, _ sql: String) throws {
        let result = try runProgram("/usr/bin/sqlite3", ["-batch", "-cmd", ".timeout 10000", database, sql])
        guard result.exitCode == 0 else { throw TestFailure("sqlite3 failed: \(result.stderr)") }
    }
}

/// Runs `billingd --once` on a database, with an optional simulated clock and configuration file.
func billingdOnce(database: String, now: String?, config: String? = nil) throws -> CommandResult {
    var arguments = ["--once", "--database", database]
    if let now { arguments += ["--now", now] }
    if let config { arguments += ["--config", config] }
    return try runProgram(Products.billingd, arguments, timeout: 600)
}
