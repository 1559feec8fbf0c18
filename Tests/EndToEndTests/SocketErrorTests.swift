import BillingTestKit
import ControlProtocol
import Foundation
import Testing

/// Control socket failures have their own codes (not BUSY), so the journal says what to fix: a path under a
/// regular file (ENOTDIR), a live daemon on the same path (in use), and a folder billingd's user may not write
/// (EACCES, provoked by running billingd as `nobody` through setpriv, since the tests run as root).
@Suite("Control socket errors")
struct SocketErrorTests {
    @Test func socketPathUnderARegularFileIsSocketPathInvalidNotBusy() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("plain-file").path
        _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        let result = try runProgram(Products.billingd, ["--database", folder.appendingPathComponent("b.sqlite").path,
                                                        "--socket", file + "/control.sock"], timeout: 60)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("error_code=SOCKET_PATH_INVALID"), "\(result.stderr)")
        #expect(!result.stderr.contains("BUSY"), "\(result.stderr)")
    }

    @Test func secondDaemonOnALiveSocketIsSocketInUse() throws {
        let daemon = try DaemonProcess()
        let second = try runProgram(Products.billingd, ["--database", daemon.directory.appendingPathComponent("other.sqlite").path,
                                                        "--socket", daemon.socket], timeout: 60)
        #expect(second.exitCode == 1)
        #expect(second.stderr.contains("error_code=SOCKET_IN_USE"), "\(second.stderr)")
        #expect(try daemon.ctl("status").exitCode == 0, "the live daemon keeps its socket")
    }

    @Test(.enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                   "needs root and setpriv to run billingd as another user"))
    func socketFolderTheUserMayNotWriteIsSocketPermissionDeniedNotBusy() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sock-\(UUID().uuidString)")
        let data = folder.appendingPathComponent("data"), locked = folder.appendingPathComponent("locked")
        for made in [data, locked] { try FileManager.default.createDirectory(at: made, withIntermediateDirectories: true) }
        defer { try? FileManager.default.removeItem(at: folder) }
        let nobody: uid_t = 65534
        // The database folder is nobody's; the socket's folder stays root's, 0755: nobody may not bind in it.
        #expect(chmod(folder.path, 0o755) == 0 && chown(data.path, nobody, gid_t(nobody)) == 0)
        #expect(chmod(locked.path, 0o755) == 0)
        let result = try runProgram("/usr/bin/setpriv", [
            "--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups", Products.billingd,
            "--database", data.appendingPathComponent("b.sqlite").path,
            "--socket", locked.appendingPathComponent("control.sock").path], timeout: 60)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("error_code=SOCKET_PERMISSION_DENIED"), "\(result.stderr)")
        #expect(!result.stderr.contains("BUSY"), "\(result.stderr)")
    }
}
