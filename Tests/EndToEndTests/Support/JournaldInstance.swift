import BillingTestKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A systemd-journald started by hand for one test (PID 1 is not systemd on these machines, but journald runs as
/// root all the same; see STACK.md §1). It is stopped by its pid and the folders it created are removed again,
/// and only those. A journald that was already running is used as it is and left alone.
final class JournaldInstance {
    static let executable = "/lib/systemd/systemd-journald"
    static let socketFolder = "/run/systemd/journal"

    /// Why journald cannot be started here, or nil when it can be tried.
    static var unavailableReason: String? {
        if geteuid() != 0 { return "systemd-journald needs root and the tests run as uid \(geteuid())" }
        if !FileManager.default.isExecutableFile(atPath: executable) { return "\(executable) is not installed" }
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/journalctl") { return "journalctl is not installed" }
        return nil
    }

    /// The journald this instance started; nil when one was already running.
    private let program: SpawnedProgram?
    private let createdFolders: [String]

    private init(program: SpawnedProgram?, createdFolders: [String]) {
        self.program = program
        self.createdFolders = createdFolders
    }

    /// Starts journald (or finds the one already serving /run/systemd/journal) and waits until its native and
    /// stream sockets accept connections.
    static func start() throws -> JournaldInstance {
        if accepts(socketFolder + "/socket", type: SOCK_DGRAM) && accepts(socketFolder + "/stdout", type: SOCK_STREAM) {
            return JournaldInstance(program: nil, createdFolders: [])
        }
        let machineID = (try? String(contentsOfFile: "/etc/machine-id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        // Deepest first, so that removal empties a folder before its parent.
        let candidates = ["/var/log/journal/\(machineID)", "/run/log/journal/\(machineID)", "/run/log/journal",
                          "/run/log", socketFolder]
        let created = candidates.filter { !machineID.isEmpty && !FileManager.default.fileExists(atPath: $0) }
        let program = try SpawnedProgram(executable, [], stdout: "/dev/null", stderr: "/dev/null")
        let instance = JournaldInstance(program: program, createdFolders: created)
        let deadline = Date().addingTimeInterval(15)
        while !(accepts(socketFolder + "/socket", type: SOCK_DGRAM)
                && accepts(socketFolder + "/stdout", type: SOCK_STREAM)) {
            guard program.isRunning, Date() < deadline else {
                let status = program.termination.map { "exited with \($0.status)" } ?? "still running"
                instance.stop()
                throw TestFailure("systemd-journald did not open \(socketFolder) within 15 s (\(status))")
            }
            usleep(50_000)
        }
        return instance
    }

    /// A launcher for DaemonProcess that gives billingd a journal stream as stdout and stderr (systemd-cat) and
    /// sets JOURNAL_STREAM to that stream's device:inode, as systemd does for a service with StandardError=journal.
    func streamLauncher(_ socket: String) -> [String] {
        ["/usr/bin/systemd-cat", "--identifier=billingd", "--level-prefix=true", "/bin/sh", "-c",
         #"JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2); export JOURNAL_STREAM; exec "$0" "$@""#]
    }

    /// Entries matching `matches` (journalctl field matches such as "INVOICE_NUMBER=INV-2027-000001"), as JSON
    /// lines; journald needs a moment after sd_journal_sendv returns, so this waits up to `timeout` for `atLeast`.
    func entries(_ matches: [String], atLeast minimum: Int = 1, timeout: TimeInterval = 20) throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let result = try runProgram("/usr/bin/journalctl", ["--no-pager", "-o", "json", "--all"] + matches)
            let lines = result.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("{") }
            if lines.count >= minimum { return lines }
            guard Date() < deadline else {
                throw TestFailure("journalctl \(matches) found \(lines.count) of \(minimum) within \(timeout) s: "
                    + result.stderr)
            }
            usleep(200_000)
        }
    }

    /// Stops the journald this instance started (by its pid) and removes the folders it created.
    func stop() {
        guard let program else { return }
        if program.isRunning {
            program.send(SIGTERM)
            let deadline = Date().addingTimeInterval(10)
            while program.isRunning, Date() < deadline { usleep(20_000) }
            program.send(SIGKILL)
            _ = try? program.wait()
        }
        for folder in createdFolders { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// Whether a socket at `path` takes a connection (journald is listening, not a stale file).
    private static func accepts(_ path: String, type: __socket_type) -> Bool {
        let fd = socket(AF_UNIX, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
    }
}
