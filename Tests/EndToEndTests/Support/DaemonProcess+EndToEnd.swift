import BillingTestKit
import ControlProtocol
import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension DaemonProcess {
    /// billingd from this build on a fresh database (or `database`), started once its control socket answers.
    /// `environment` is added to the test's own (without any systemd variables it may have); the other arguments are
    /// the kit's (`extraArguments` its `arguments`).
    convenience init(extraArguments: [String] = [], config: String? = nil, environment extra: [String: String] = [:],
                     database: String? = nil, databaseOption: Bool = true,
                     launcher: ((_ socket: String) -> [String])? = nil) throws {
        var environment = ProcessInfo.processInfo.environment
        for name in ["NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "WATCHDOG_USEC", "WATCHDOG_PID",
                     "JOURNAL_STREAM"] {
            environment.removeValue(forKey: name)
        }
        environment.merge(extra) { $1 }
        try self.init(executable: Products.billingd, folderPrefix: "billingd-e2e", database: database,
                      databaseOption: databaseOption, arguments: extraArguments, config: config,
                      environment: environment, launcher: launcher)
        let deadline = Date().addingTimeInterval(30)
        while (try? ControlClient(path: socket).send(ControlRequest(command: "status"))) == nil {
            guard isRunning, Date() < deadline else {
                throw TestFailure("billingd did not start: \(self.log())")
            }
            usleep(20_000)
        }
    }

    /// Runs billingctl against this daemon.
    func ctl(_ arguments: String..., input: Data? = nil) throws -> CommandResult {
        try runProgram(Products.billingctl, ["--socket", socket] + arguments, input: input)
    }

    /// Every row of every table, as the sqlite3 shell dumps it: "nothing changed" means this is identical.
    func dump() throws -> String {
        try runProgram("/usr/bin/sqlite3", [database, ".dump"]).stdout
    }
}
