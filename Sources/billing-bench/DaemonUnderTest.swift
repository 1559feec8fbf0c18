import BillingTestKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `billingd` (the release build next to this executable) on a prepared database, started the way systemd
/// starts it (NOTIFY_SOCKET, optionally WATCHDOG_USEC), with its own state folder and control socket.
final class DaemonUnderTest {
    /// The instant the daemon's clock starts at: five days after the workload's invoices were issued, when nothing
    /// is due (the first past-due boundary is ten days after issue), so the daemon has no work to do.
    static let quietInstant = "2027-01-20T12:00:00+01:00"

    let daemon: DaemonProcess
    let notify: NotifyListener

    init(database: String, watchdogMicroseconds: Int? = nil) throws {
        let executable = try Self.executable()
        notify = try NotifyListener()
        var environment = ["PATH": "/usr/bin:/bin", "NOTIFY_SOCKET": notify.path]
        if let watchdogMicroseconds { environment["WATCHDOG_USEC"] = String(watchdogMicroseconds) }
        do {
            daemon = try DaemonProcess(executable: executable.path, folderPrefix: "billing-bench-daemon",
                                       database: database, arguments: ["--now", Self.quietInstant],
                                       environment: environment)
        } catch {
            notify.close()
            throw error
        }
    }

    var pid: Int32 { daemon.pid }
    var socketPath: String { daemon.socket }

    /// "shared" when the daemon maps libswiftCore.so, "static" when it was built with --static-swift-stdlib.
    var swiftStdlib: String {
        // Read to the end: /proc files report size 0, and String(contentsOfFile:) stops after the first block.
        let maps = FileHandle(forReadingAtPath: "/proc/\(pid)/maps")
            .map { String(decoding: $0.readDataToEndOfFile(), as: UTF8.self) } ?? ""
        return maps.contains("libswiftCore.so") ? "shared" : "static"
    }

    /// Waits for READY=1 and returns the time from exec to it; fails with the daemon's log if it died instead.
    func waitReady(timeout: TimeInterval = 120) throws -> Duration {
        do {
            return try notify.wait(for: "READY=1", timeout: timeout).datagram.at - daemon.startedAt
        } catch {
            throw BenchFailure(description: "billingd did not become ready: \(error)\n\(daemon.log())")
        }
    }

    /// Waits for the STATUS= the scheduler sends after its first cycle: the first cycle summary not sent with READY=1
    /// (a daemon that ran its first cycle before READY=1 may have sent it before READY=1).
    func waitFirstCycle() throws -> Duration {
        try notify.wait(timeout: 60, "the first cycle's STATUS=") {
            $0.text.hasPrefix("STATUS=next wake") && !$0.text.hasPrefix("READY=1")
        }.datagram.at - daemon.startedAt
    }

    /// SIGTERM, and the exit status, which must be 0.
    func stop() throws {
        guard daemon.isRunning else {
            throw BenchFailure(description: "billingd exited before it was stopped:\n\(daemon.log())")
        }
        let status = daemon.stop()
        notify.close()
        guard status == 0 else {
            throw BenchFailure(description: "billingd exited with \(status) on SIGTERM:\n\(daemon.log())")
        }
    }
    /// `billingd` from the same build folder as this benchmark. When the package's sources are where this benchmark
    /// was built from, `swift build -c release --product billingd` runs first (a no-op when it is up to date), so
    /// `swift run -c release billing-bench` on a fresh clone measures the daemon of the same sources.
    static func executable() throws -> URL {
        try built.get()
    }

    /// `--daemon`: set once, before the first daemon scenario.
    nonisolated(unsafe) static var chosenExecutable: String?

    private static let built = Result<URL, Error> {
        if let chosen = chosenExecutable {
            guard FileManager.default.isExecutableFile(atPath: chosen) else {
                throw BenchFailure(description: "--daemon \(chosen) is not an executable file")
            }
            return URL(fileURLWithPath: chosen)
        }
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let candidate = URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent("billingd")
        try buildDaemon(beside: candidate)
        guard FileManager.default.isExecutableFile(atPath: candidate.path) else {
            throw BenchFailure(description: "no billingd next to the benchmark at \(candidate.path): "
                + "run `swift build -c release --product billingd` first")
        }
        return candidate
    }

    private static func buildDaemon(beside candidate: URL) throws {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent("Package.swift").path),
              candidate.path.hasPrefix(packageRoot.path + "/.build/") else { return }
        #if DEBUG
        let configuration = "debug"
        #else
        let configuration = "release"
        #endif
        print("building billingd (\(configuration)) for the daemon scenarios …")
        fflush(nil)  // every stream: the line shows before the build output
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["swift", "build", "-c", configuration, "--product", "billingd"]
        build.currentDirectoryURL = packageRoot
        try build.run()
        build.waitUntilExit()
        guard build.terminationStatus == 0 else {
            throw BenchFailure(description: "`swift build -c \(configuration) --product billingd` failed "
                + "(exit \(build.terminationStatus))")
        }
    }
}
