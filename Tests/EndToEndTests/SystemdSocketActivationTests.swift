import BillingTestKit
import ControlProtocol
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Socket activation with systemd-socket-activate")
struct SystemdSocketActivationTests {
    static let activator = "/usr/bin/systemd-socket-activate"

    /// systemd-socket-activate (v252) listens on the path, starts billingd on the first connection with the socket
    /// as fd 3, and passes only the variables named with -E: NOTIFY_SOCKET would otherwise be dropped silently.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: activator), "systemd-socket-activate is not installed"))
    func billingdServesThePassedSocketAndBillingctlDrivesIt() throws {
        let notify = try NotifyListener()
        defer { notify.close() }
        let daemon = try DaemonProcess(environment: ["NOTIFY_SOCKET": notify.path]) { socket in
            [Self.activator, "--listen=\(socket)", "--fdname=control", "-E", "NOTIFY_SOCKET", "-E", "STATE_DIRECTORY"]
        }
        // DaemonProcess's first `status` was the connection that started billingd. billingd may answer it before
        // its start-up line reaches the log, so the log is read once READY=1 came and the line is waited for.
        try notify.wait(for: "READY=1", timeout: 10)
        #expect(eventually(within: 10) { daemon.log().contains("socket=fd 3 (socket activation)") },
                "billingd used the passed fd: \(daemon.log())")
        let log = daemon.log()
        #expect(log.contains("Listening on \(daemon.socket) as 3."), "\(log)")
        #expect(log.contains("Communication attempt on fd 3."), "\(log)")

        let imported = try daemon.ctl("--json", "import", "-", input: Data(defaultCurrencyDocument("t-activated").utf8))
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        #expect(text(try imported.json()["templates"]?.arrayValue?.first?["recordGuid"]) == "t-activated")
        let status = try daemon.ctl("--json", "status")
        #expect(status.exitCode == 0)
        #expect(try status.json()["templates"]?["active"]?.intValue == 1)
        let listed = try daemon.ctl("templates", "list")
        #expect(listed.stdout.contains("t-activated"), "\(listed.stdout)")

        #expect(daemon.stop() == 0)
        try notify.wait(for: "STOPPING=1", timeout: 5)
        #expect(FileManager.default.fileExists(atPath: daemon.socket),
                "the socket belongs to the service manager: billingd does not unlink a socket it was passed")
    }

    @Test func withoutAPassedSocketBillingdBindsThePathAndRemovesItOnStop() throws {
        let daemon = try DaemonProcess()
        // billingd may answer DaemonProcess's first `status` before its start-up line reaches the log.
        #expect(eventually(within: 10) { daemon.log().contains("socket=\(daemon.socket)") }, "\(daemon.log())")
        var info = stat()
        #expect(lstat(daemon.socket, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK)
        #expect(info.st_mode & 0o777 == 0o660, "mode \(String(info.st_mode & 0o777, radix: 8))")
        #expect(daemon.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: daemon.socket))
    }
}
