import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The systemd side of sd_notify: a Unix datagram socket that records every notification with its arrival time.
final class NotifyListener: Sendable {
    struct Datagram: Sendable {
        var at: ContinuousClock.Instant
        var text: String
    }

    let path: String
    private let fd: Int32
    private let received = Mutex<[Datagram]>([])

    init(folder: URL) throws {
        path = folder.appendingPathComponent("notify.sock").path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, rc == 0 else { throw BenchFailure(description: "cannot bind the notify socket \(path): errno \(errno)") }
        Thread.detachNewThread { [self] in receiveLoop() }
    }

    func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
        unlink(path)
    }

    var datagrams: [Datagram] {
        received.withLock { $0 }
    }

    /// The first datagram that has a line `line` (e.g. "READY=1"), waiting up to `timeout`.
    func wait(for line: String, timeout: Duration = .seconds(60)) throws -> Datagram {
        try wait(what: line, timeout: timeout) { $0.split(separator: "\n").contains { $0.hasPrefix(line) } }
    }

    /// The first datagram whose text satisfies `matches`.
    func wait(what: String = "matching", timeout: Duration = .seconds(60),
              matching matches: (String) -> Bool) throws -> Datagram {
        // A short poll: each datagram carries the instant the receiver took it, so polling adds nothing to a figure.
        let deadline = ContinuousClock.now + timeout
        while true {
            if let found = datagrams.first(where: { matches($0.text) }) { return found }
            guard ContinuousClock.now < deadline else {
                throw BenchFailure(description: "no \(what) notification within \(timeout)")
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
    }

    func count(of line: String, from: Int = 0) -> Int {
        let all = datagrams
        return all.dropFirst(from).filter { $0.text.split(separator: "\n").contains { $0 == line } }.count
    }

    private func receiveLoop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            let at = ContinuousClock.now
            if count < 0, errno == EINTR { continue }
            if count <= 0 { return }
            let datagram = Datagram(at: at, text: String(decoding: buffer[0..<count], as: UTF8.self))
            received.withLock { $0.append(datagram) }
        }
    }
}

/// A real `billingd` (the release build next to this executable) on a prepared database, started the way systemd
/// starts it (NOTIFY_SOCKET, optionally WATCHDOG_USEC), with its own state folder and control socket.
final class DaemonUnderTest {
    /// The instant the daemon's clock starts at: five days after the workload's invoices were issued, when nothing
    /// is due (the first past-due boundary is ten days after issue), so the daemon has no work to do.
    static let quietInstant = "2027-01-20T12:00:00+01:00"

    let process = Process()
    let folder: URL
    let notify: NotifyListener
    let socketPath: String
    let startedAt: ContinuousClock.Instant
    private let log: URL

    init(database: String, watchdogMicroseconds: Int? = nil) throws {
        let executable = try Self.executable()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("billing-bench-daemon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        notify = try NotifyListener(folder: folder)
        socketPath = folder.appendingPathComponent("control.sock").path
        log = folder.appendingPathComponent("billingd.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = executable
        process.arguments = ["--database", database, "--socket", socketPath, "--now", Self.quietInstant]
        var environment = ["PATH": "/usr/bin:/bin", "HOME": folder.path, "STATE_DIRECTORY": folder.path,
                           "NOTIFY_SOCKET": notify.path]
        if let watchdogMicroseconds { environment["WATCHDOG_USEC"] = String(watchdogMicroseconds) }
        process.environment = environment
        process.standardOutput = FileHandle(forWritingAtPath: log.path)
        process.standardError = FileHandle(forWritingAtPath: log.path)
        startedAt = ContinuousClock.now
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// "shared" when the daemon maps libswiftCore.so, "static" when it was built with --static-swift-stdlib.
    var swiftStdlib: String {
        // Read to the end: /proc files report size 0, and String(contentsOfFile:) stops after the first block.
        let maps = FileHandle(forReadingAtPath: "/proc/\(pid)/maps")
            .map { String(decoding: $0.readDataToEndOfFile(), as: UTF8.self) } ?? ""
        return maps.contains("libswiftCore.so") ? "shared" : "static"
    }

    /// Waits for READY=1 and returns the time from exec to it; fails with the daemon's log if it died instead.
    func waitReady(timeout: Duration = .seconds(120)) throws -> Duration {
        do {
            return try notify.wait(for: "READY=1", timeout: timeout).at - startedAt
        } catch {
            throw BenchFailure(description: "billingd did not become ready: \(error)\n\(logText())")
        }
    }

    /// Waits for the STATUS= the scheduler sends after its first cycle: the first cycle summary not sent with READY=1
    /// (a daemon that ran its first cycle before READY=1 may have sent it before READY=1).
    func waitFirstCycle() throws -> Duration {
        try notify.wait(matching: { $0.hasPrefix("STATUS=next wake") && !$0.hasPrefix("READY=1") }).at - startedAt
    }

    func logText() -> String {
        (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    }

    /// SIGTERM, and the exit status, which must be 0.
    func stop() throws {
        guard process.isRunning else {
            throw BenchFailure(description: "billingd exited before it was stopped:\n\(logText())")
        }
        kill(pid, SIGTERM)
        process.waitUntilExit()
        notify.close()
        defer { try? FileManager.default.removeItem(at: folder) }
        guard process.terminationStatus == 0 else {
            throw BenchFailure(description: "billingd exited with \(process.terminationStatus) on SIGTERM:\n\(logText())")
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

/// What /proc says about a process: resident memory, CPU time, and context switches summed over its threads.
struct ProcessSample {
    var rssKiB: Int
    /// Of which file-backed (executable and shared libraries) and anonymous (heap, stacks).
    var rssFileKiB: Int
    var rssAnonKiB: Int
    var cpuTicks: Int
    /// CPU time from the scheduler's accounting (`schedstat`), summed over the threads: finer than clock ticks.
    var cpuNanoseconds: Int
    var voluntarySwitches: Int
    var involuntarySwitches: Int
    var threads: Int

    init(pid: Int32) throws {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        rssKiB = Self.field("VmRSS", in: status)
        rssFileKiB = Self.field("RssFile", in: status)
        rssAnonKiB = Self.field("RssAnon", in: status)
        // utime and stime are fields 14 and 15; the command name in parentheses may contain spaces.
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let afterName = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        cpuTicks = (Int(afterName[11]) ?? 0) + (Int(afterName[12]) ?? 0)
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")
        threads = tasks.count
        voluntarySwitches = 0
        involuntarySwitches = 0
        cpuNanoseconds = 0
        for task in tasks {
            if let schedstat = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/schedstat", encoding: .utf8) {
                cpuNanoseconds += Int(schedstat.split(separator: " ").first ?? "") ?? 0
            }
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8) else { continue }
            voluntarySwitches += Self.field("voluntary_ctxt_switches", in: text)
            involuntarySwitches += Self.field("nonvoluntary_ctxt_switches", in: text)
        }
    }

    var contextSwitches: Int { voluntarySwitches + involuntarySwitches }

    static let ticksPerSecond = Int(sysconf(Int32(_SC_CLK_TCK)))

    private static func field(_ name: String, in text: String) -> Int {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
        return Int(line.split(separator: ":")[1].split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") ?? 0
    }
}
