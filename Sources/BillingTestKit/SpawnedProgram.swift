import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// glibc 2.34+ has it (Debian 12: 2.36); Swift's Glibc module does not import it.
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32

/// A program started with posix_spawn, its standard streams redirected to files.
///
/// Not Foundation's `Process`: on Linux its `run()` reads `/proc/self/fd` with a 256-byte copy of each directory
/// entry (swift-corelibs-foundation #5472), which now and then reads past a mapped page and crashes the whole
/// process with SIGSEGV. The test suite starts billingctl hundreds of times, so it would.
public final class SpawnedProgram: Sendable {
    /// How a program ended.
    public enum Termination: Sendable, Equatable {
        case exit(Int32)
        case signal(Int32)

        /// The status as a shell reports it: the exit code, or 128 + the signal.
        public var status: Int32 {
            switch self {
            case .exit(let code): code
            case .signal(let signal): 128 + signal
            }
        }
    }

    public let pid: pid_t
    private let ended = Mutex<Termination?>(nil)

    /// Starts `path` with `arguments`; `environment` is the program's whole environment (nil: this process's).
    public init(_ path: String, _ arguments: [String], stdin: String = "/dev/null", stdout: String, stderr: String,
                environment: [String: String]? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if stderr == stdout {
            // One file for both, as a journal stream is: the lines stay in the order they were written.
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        // Descriptors this process holds (sockets, pipes of other children) stay out of the child.
        _ = addCloseFrom(&actions, 3)

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        let env = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { for entry in env ?? [] { free(entry) } }

        var pid: pid_t = 0
        let rc = env.map { env in posix_spawn(&pid, path, &actions, nil, argv, env) }
            ?? posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard rc == 0 else { throw TestFailure("cannot start \(path): \(String(cString: strerror(rc)))") }
        self.pid = pid
    }

    /// How the program ended, or nil while it runs.
    public var termination: Termination? { try? reap() }

    public var isRunning: Bool { termination == nil }

    /// Sends `signal` while the program runs (once it has been reaped its pid may belong to another).
    public func send(_ signal: Int32) {
        ended.withLock { ended in
            if ended == nil { _ = kill(pid, signal) }
        }
    }

    /// Waits for the program to end; past `timeout` seconds it is killed and the wait fails.
    @discardableResult
    public func wait(timeout: TimeInterval? = nil) throws -> Termination {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while true {
            if let termination = try reap() { return termination }
            if let deadline, Date() > deadline {
                send(SIGKILL)
                while try reap() == nil { usleep(2_000) }
                throw TestFailure("pid \(pid) did not finish within \(timeout!) s")
            }
            usleep(2_000)
        }
    }

    /// Reaps the program if it has ended; it is reaped once, and its termination kept.
    private func reap() throws -> Termination? {
        try ended.withLock { ended in
            if let ended { return ended }
            var status: Int32 = 0
            let done = waitpid(pid, &status, WNOHANG)
            if done < 0 && errno != EINTR { throw TestFailure("waitpid \(pid): \(String(cString: strerror(errno)))") }
            guard done == pid else { return nil }
            // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
            let signal = status & 0x7f
            ended = signal == 0 ? .exit((status >> 8) & 0xff) : .signal(signal)
            return ended
        }
    }
}
