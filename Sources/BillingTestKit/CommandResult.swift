import ControlProtocol
import Foundation

/// The result of running one command to completion.
public struct CommandResult: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String

    /// stdout parsed as JSON (billingctl --json).
    public func json() throws -> JSONValue {
        try JSONParser.parse(Array(stdout.utf8))
    }
}

/// Runs a program to completion, with stdin from `input`, capturing its output through files (no pipe can fill).
public func runProgram(_ path: String, _ arguments: [String], input: Data? = nil, environment: [String: String]? = nil,
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
        exitCode = try program.wait(timeout: timeout).status
    } catch {
        throw TestFailure("\(path) \(arguments) did not finish within \(timeout) s")
    }
    return CommandResult(
        exitCode: exitCode,
        stdout: String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
        stderr: String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))
}
