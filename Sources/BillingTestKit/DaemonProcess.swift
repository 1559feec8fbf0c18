import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real billingd in a temporary folder of its own: the folder is its STATE_DIRECTORY and holds its control socket,
/// its log (stdout and stderr, in the order written) and, when given one, its configuration file. The process is
/// killed and the folder removed when the value is freed.
public final class DaemonProcess: Sendable {
    public let directory: URL
    public let database: String
    public let socket: String
    public let logPath: String
    public let configPath: String
    /// When the process was started: the origin of a start-up time.
    public let startedAt: ContinuousClock.Instant
    private let program: SpawnedProgram

    /// billingd's pid; a launcher runs it in its own process (exec), so the pid is the same.
    public var pid: Int32 { program.pid }

    /// Starts `executable` with `--database` (unless `databaseOption` is false, for a configuration that names the
    /// database itself), `--socket`, `arguments` and, when `config` is given, `--config` naming a file with it.
    /// `database` is a file another daemon left (stopped first), by default a new one in the folder. `environment`
    /// is the whole environment, to which the folder is added as STATE_DIRECTORY. `launcher`, given the socket path,
    /// names a program that execs billingd for us (systemd-socket-activate, a journal stream), with billingd's path
    /// and arguments appended.
    public init(executable: String, folderPrefix: String = "billingd", database: String? = nil,
                databaseOption: Bool = true, arguments: [String] = [], config: String? = nil,
                environment: [String: String], launcher: ((_ socket: String) -> [String])? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(folderPrefix)-\(UUID().uuidString)")
        self.database = database ?? directory.appendingPathComponent("billing.sqlite").path
        socket = directory.appendingPathComponent("control.sock").path
        logPath = directory.appendingPathComponent("billingd.log").path
        configPath = directory.appendingPathComponent("billingd.conf").path
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var command = [executable] + (databaseOption ? ["--database", self.database] : []) + ["--socket", socket]
            + arguments
        if config != nil { command += ["--config", configPath] }
        if let launcher { command = launcher(socket) + command }
        var environment = environment
        environment["STATE_DIRECTORY"] = directory.path
        do {
            try config?.write(toFile: configPath, atomically: true, encoding: .utf8)
            startedAt = ContinuousClock.now
            program = try SpawnedProgram(command[0], Array(command.dropFirst()), stdout: logPath, stderr: logPath,
                                         environment: environment)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    deinit {
        program.send(SIGKILL)
        _ = try? program.wait()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Everything billingd wrote to stdout and stderr so far.
    public func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    public var isRunning: Bool { program.isRunning }

    /// How billingd ended, or nil while it runs.
    public var termination: SpawnedProgram.Termination? { program.termination }

    /// Sends SIGTERM (or `signal`) and waits: the exit status, or 128 + the signal that ended it.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM) -> Int32 {
        program.send(signal)
        return ((try? program.wait()) ?? .signal(signal)).status
    }
}
