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
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let environment { process.environment = environment }
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    let stdinFile = dir.appendingPathComponent("in")
    FileManager.default.createFile(atPath: stdinFile.path, contents: input ?? Data())
    process.standardInput = try FileHandle(forReadingFrom: stdinFile)
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning {
        if Date() > deadline {
            process.terminate()
            throw TestFailure("\(path) \(arguments) did not finish within \(timeout) s")
        }
        usleep(5_000)
    }
    return CommandResult(
        exitCode: process.terminationStatus,
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

    /// `database` reuses an existing database file (one prepared by `--once` runs); `environment` adds variables
    /// (CREDENTIALS_DIRECTORY).
    init(extraArguments: [String] = [], config: String? = nil, database: String? = nil,
         environment extra: [String: String] = [:]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("billingd-e2e-\(UUID().uuidString)")
        self.database = database ?? directory.appendingPathComponent("billing.sqlite").path
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var arguments = ["--database", self.database, "--socket", socket] + extraArguments
        if let config {
            let path = directory.appendingPathComponent("billingd.conf").path
            try config.write(toFile: path, atomically: true, encoding: .utf8)
            arguments += ["--config", path]
        }
        process.executableURL = URL(fileURLWithPath: Products.billingd)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["STATE_DIRECTORY"] = directory.path
        environment.removeValue(forKey: "NOTIFY_SOCKET")
        environment.removeValue(forKey: "LISTEN_FDS")
        environment.merge(extra) { $1 }
        process.environment = environment
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
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

    /// SIGKILL: no chance to finish anything, as after a power cut.
    func kill9() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Sends SIGTERM and returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
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
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
