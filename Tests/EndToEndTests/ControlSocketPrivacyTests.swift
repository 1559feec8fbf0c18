import BillingTestKit
import ControlProtocol
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What billingd creates stays private whatever umask it inherits, and idle connections of ordinary users
/// cannot lock root out of the control socket.
@Suite("Private files and a control socket root can always reach")
struct ControlSocketPrivacyTests {
    static func mode(_ path: String) -> (mode: mode_t, gid: gid_t)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (info.st_mode & 0o7777, info.st_gid)
    }

    @Test func filesAndFoldersArePrivateUnderUmask000AndTheSocketBelongsToTheControlGroup() throws {
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("private-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: spool) }
        let config = """
            [control]
            group = "daemon"
            [email]
            spool_directory = "\(spool.path)/email"
            [sms]
            spool_directory = "\(spool.path)/sms"
            [post]
            spool_directory = "\(spool.path)/post"
            [outbox]
            templates_directory = "\(Examples.root.path)/config/templates"
            [seller]
            name = "Exempel AB"
            """
        let daemon = try DaemonProcess(extraArguments: ["--now", OutboxFixture.firstRun], config: config,
                                       launcher: { _ in ["/bin/sh", "-c", #"umask 000; exec "$@""#, "sh"] })
        #expect(try daemon.ctl("import", "-", input: Data(OutboxFixture.document.utf8)).exitCode == 0)
        #expect(eventually(within: 30) {
            ((try? FileManager.default.contentsOfDirectory(atPath: spool.path + "/sms")) ?? []).contains { $0.hasSuffix(".json") }
                && ((try? FileManager.default.contentsOfDirectory(atPath: spool.path + "/email")) ?? []).contains { $0.hasSuffix(".eml") }
        })
        var checked: [String] = [daemon.database, daemon.database + "-wal", spool.path + "/email", spool.path + "/sms"]
        for folder in ["email", "sms"] {
            checked += try FileManager.default.contentsOfDirectory(atPath: spool.path + "/" + folder)
                .map { spool.path + "/" + folder + "/" + $0 }
        }
        for path in checked {
            let found = try #require(Self.mode(path), "\(path) exists")
            #expect(found.mode & 0o027 == 0, "\(path) is \(String(found.mode, radix: 8)): no group write, nothing for others")
        }
        let socket = try #require(Self.mode(daemon.socket))
        #expect(socket.mode == 0o660, "socket mode \(String(socket.mode, radix: 8))")
        #expect(socket.gid == getgrnam("daemon").pointee.gr_gid, "the socket belongs to control.group")
    }

    /// Ordinary users (here `nobody` and uid 65533, the socket opened to them) hold idle connections up to their
    /// per-uid cap and the total limit; root still gets its answer from a reserved slot.
    @Test func idleConnectionsOfOrdinaryUsersCannotLockRootOut() throws {
        let daemon = try DaemonProcess(config: """
            [control]
            max_connections = 6
            max_connections_per_uid = 4
            idle_timeout_seconds = 120
            """)
        chmod(daemon.socket, 0o666)
        let holder = """
            import socket, sys, time
            for i in range(int(sys.argv[2])):
                s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(1.0)
                try:
                    answer = s.recv(4096)
                    print("busy" if b"BUSY" in answer else "closed", flush=True)
                except socket.timeout:
                    print("held", flush=True)
                    globals().setdefault("held", []).append(s)
            time.sleep(60)
            """
        /// The holder running as `uid`, killed when freed.
        final class Holder {
            let program: SpawnedProgram
            init(_ program: SpawnedProgram) { self.program = program }
            deinit {
                program.send(SIGKILL)
                _ = try? program.wait()
            }
        }
        func hold(uid: Int, count: Int) throws -> (Holder, URL) {
            let output = daemon.directory.appendingPathComponent("holder-\(uid)")
            let program = try SpawnedProgram(
                "/usr/bin/setpriv", ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "/usr/bin/python3", "-c", holder,
                                     daemon.socket, String(count)],
                stdout: output.path, stderr: output.path + ".stderr")
            return (Holder(program), output)
        }
        func answers(_ output: URL, _ count: Int) -> [String] {
            var lines: [String] = []
            _ = eventually(within: 20) {
                lines = ((try? String(contentsOf: output, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
                return lines.count >= count
            }
            return lines
        }
        let (nobody, nobodyOutput) = try hold(uid: 65534, count: 5)
        #expect(answers(nobodyOutput, 5) == ["held", "held", "held", "held", "busy"], "the per-uid cap is 4")
        let (other, otherOutput) = try hold(uid: 65533, count: 3)
        #expect(answers(otherOutput, 3) == ["held", "held", "busy"], "the total limit is 6")

        let status = try daemon.ctl("--json", "status")
        #expect(status.exitCode == 0, "root still gets an answer: \(status.stdout)\(status.stderr)")
        withExtendedLifetime((nobody, other)) {}
    }
}
