import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// glibc 2.34+ has it (Debian 12: 2.36); Swift's Glibc module does not import it.
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32

/// A program started with posix_spawn, its standard streams redirected to files.
///
/// Not Foundation's `Process`: on Linux its `run()` reads `/proc/self/fd` with a 256-byte copy of each directory
/// entry (swift-corelibs-foundation #5472), which now and then reads past a mapped page and crashes the whole test
/// process with SIGSEGV. The suite starts billingctl hundreds of times, so it would.
struct SpawnedProgram {
    let pid: pid_t

    init(_ path: String, _ arguments: [String], stdin: String, stdout: String, stderr: String,
         environment: [String: String]? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Descriptors the test process holds (sockets, pipes of other children) stay out of the child.
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

    /// The exit status (or 128 + the signal), waiting at most `timeout` seconds; past it the program is killed.
    func wait(timeout: TimeInterval) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if done < 0 && errno != EINTR { throw TestFailure("waitpid \(pid): \(String(cString: strerror(errno)))") }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw TestFailure("pid \(pid) did not finish within \(timeout) s")
            }
            usleep(2_000)
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
