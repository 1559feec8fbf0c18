import ControlProtocol
import Foundation
import Testing

/// Control socket failures have their own codes (not BUSY), so the journal says what to fix. Tests run as root,
/// so permission errors cannot be provoked; a path under a regular file (ENOTDIR) and a live daemon on the same
/// path (in use) can.
@Suite("Control socket errors")
struct SocketErrorTests {
    @Test func socketPathUnderARegularFileIsSocketPathInvalidNotBusy() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("plain-file").path
        FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
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
}
