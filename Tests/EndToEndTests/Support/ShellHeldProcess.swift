import BillingTestKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program under a shell that waits for it, for programs that close the descriptors they inherit.
///
/// Foundation's Process (on Linux) learns that a child ended when the child's end of a socket pair closes, and
/// then reaps it with a blocking waitpid on the one thread that watches every child of the test run. A program
/// that closes inherited descriptors while it keeps running (systemd-socket-activate does, before it execs
/// billingd) would park that thread until it exits, and no other Process would be seen to finish meanwhile. The
/// shell keeps the descriptor open and exits with the program's status; the program's own pid is written to a file.
enum ShellHeldProcess {
    /// The arguments for /bin/sh that run `command` and write its pid to `pidFile`.
    static func arguments(_ command: [String], pidFile: String) -> [String] {
        ["-c", #"pidfile=$1; shift; "$@" & echo $! > "$pidfile.tmp" && mv "$pidfile.tmp" "$pidfile"; wait $!"#,
         "sh", pidFile] + command
    }

    /// The program's pid, once the shell has written it.
    static func pid(from pidFile: String, shell: Process, timeout: TimeInterval = 10) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
               let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return pid
            }
            guard shell.isRunning, Date() < deadline else {
                throw TestFailure("the shell did not report the pid of its program in \(pidFile)")
            }
            usleep(5_000)
        }
    }
}
