import ControlProtocol
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The result of running one command to completion.
struct CommandResult {
    var exitCode: Int32
    var stdout: String
    var stderr: String

    /// stdout parsed as JSON (billingctl --json).
    func json() throws -> JSONValue {
        try JSONParser.parse(Array(stdout.utf8))
    }
}

/// Builds products live next to the test bundle: `.build/<triple>/debug/`.
enum Products {
    static let directory: URL = {
        let exe = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0])
        var dir = exe.deletingLastPathComponent()
        // The test runner may sit inside a bundle folder (…/billingdPackageTests.xctest); step out of it.
        while !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("billingd").path),
              dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }()

    static var billingd: String { directory.appendingPathComponent("billingd").path }
    static var billingctl: String { directory.appendingPathComponent("billingctl").path }
}

/// Runs a program to completion, with stdin from `input`, capturing its output through files (no pipe can fill).
func runProgram(_ path: String, _ arguments: [String], input: Data? = nil, environment: [String: String]? = nil,
                timeout: TimeInterval = 120) throws -> CommandResult {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let stdinFile = dir.appendingPathComponent("in")
    _ = FileManager.default.createFile(atPath: stdinFile.path, contents: input ?? Data())
    let program = try SpawnedProgram(path, arguments, stdin: stdinFile.path, stdout: out.path, stderr: err.path,
                                     environment: environment)
    let exitCode: Int32
    do {
        exitCode = try program.wait(timeout: timeout)
    } catch {
        throw TestFailure("\(path) \(arguments) did not finish within \(timeout) s")
    }
    return CommandResult(
        exitCode: exitCode,
        stdout: String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
        stderr: String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A real billingd process on a fresh database in its own temporary folder.
final class DaemonProcess: @unchecked Sendable {
    let directory: URL
    let process = Process()
    let database: String
    var socket: String { directory.appendingPathComponent("control.sock").path }
    var logPath: String { directory.appendingPathComponent("billingd.log").path }

    var configPath: String { directory.appendingPathComponent("billingd.conf").path }
    /// billingd's pid: the process's own, or the launched program's when a launcher runs it.
    private(set) var pid: Int32 = 0

    /// `environment` is added to the test's own (without any systemd variables it may have); `launcher`, given the
    /// socket path, names a program that runs billingd for us (systemd-socket-activate, a journal stream), with
    /// billingd's path and arguments appended. `database` reuses another daemon's database file (that daemon
    /// stopped first); by default a new one. `databaseOption: false` leaves `--database` off the command line, for
    /// a configuration file that names the database itself (`database.path`, which must then be `database`).
    init(extraArguments: [String] = [], config: String? = nil, environment extra: [String: String] = [:],
         database: String? = nil, databaseOption: Bool = true,
         launcher: ((_ socket: String) -> [String])? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("billingd-e2e-\(UUID().uuidString)")
        self.database = database ?? directory.appendingPathComponent("billing.sqlite").path
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var arguments = (databaseOption ? ["--database", self.database] : []) + ["--socket", socket] + extraArguments
        if let config {
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            arguments += ["--config", configPath]
        }
        let pidFile = directory.appendingPathComponent("billingd.pid").path
        if let launcher {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ShellHeldProcess.arguments(launcher(socket) + [Products.billingd] + arguments,
                                                           pidFile: pidFile)
        } else {
            process.executableURL = URL(fileURLWithPath: Products.billingd)
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["STATE_DIRECTORY"] = directory.path
        for name in ["NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "WATCHDOG_USEC", "WATCHDOG_PID",
                     "JOURNAL_STREAM"] {
            environment.removeValue(forKey: name)
        }
        environment.merge(extra) { $1 }
        process.environment = environment
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        pid = launcher == nil ? process.processIdentifier : try ShellHeldProcess.pid(from: pidFile, shell: process)
        let deadline = Date().addingTimeInterval(30)
        while (try? ControlClient(path: socket).send(ControlRequest(command: "status"))) == nil {
            guard process.isRunning, Date() < deadline else {
                throw TestFailure("billingd did not start: \(self.log())")
            }
            usleep(20_000)
        }
    }

    func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Runs billingctl against this daemon.
    func ctl(_ arguments: String..., input: Data? = nil) throws -> CommandResult {
        try runProgram(Products.billingctl, ["--socket", socket] + arguments, input: input)
    }

    /// The daemon's resident memory in KiB (VmRSS in /proc/PID/status).
    func residentKiB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else {
            throw TestFailure("no VmRSS in /proc/\(pid)/status")
        }
        return kib
    }

    /// SIGKILL: no chance to finish anything, as after a power cut.
    func kill9() {
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Sends SIGTERM (or `signal`) and returns the exit status (a launcher's shell exits with billingd's status).
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning {
            kill(pid, signal)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    /// Every row of every table, as the sqlite3 shell dumps it: "nothing changed" means this is identical.
    func dump() throws -> String {
        try runProgram("/usr/bin/sqlite3", [database, ".dump"]).stdout
    }

    deinit {
        if process.isRunning {
            kill(pid, SIGKILL)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
