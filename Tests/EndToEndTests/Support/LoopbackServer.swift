import BillingTestKit
import ControlProtocol
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A test server written in Python (the SMTP sink or the SMS gateway), listening on 127.0.0.1 only, in its own
/// temporary folder. It writes the port it got to `port` and what it received to `log.jsonl`.
final class LoopbackServer: @unchecked Sendable {
    let folder: URL
    let process = Process()
    let port: Int

    /// Starts `script` with `arguments` after the folder (the plan, a port); waits at most 20 s for it to listen.
    init(script: String, arguments: [String]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("loopback-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let scriptPath = folder.appendingPathComponent("server.py").path
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath, folder.path] + arguments
        let log = folder.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let portFile = folder.appendingPathComponent("port").path
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: portFile) {
            guard process.isRunning, Date() < deadline else {
                throw TestFailure("test server did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            usleep(20_000)
        }
        port = Int((try String(contentsOfFile: portFile, encoding: .utf8)).trimmingCharacters(in: .whitespaces)) ?? 0
    }

    /// The SMTP sink; `port` 0 takes any free port.
    static func smtpSink(plan: String = "{}", port: Int = 0) throws -> LoopbackServer {
        try LoopbackServer(script: smtpSinkScript, arguments: [String(port), plan])
    }

    static func smsGateway(plan: String = "{}") throws -> LoopbackServer {
        try LoopbackServer(script: smsGatewayScript, arguments: [plan])
    }

    /// One JSON object per message (SMTP) or request (SMS), in arrival order.
    func records() throws -> [JSONValue] {
        let path = folder.appendingPathComponent("log.jsonl").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
    }

    /// Lines in the log so far, cheaply, for waiting on progress.
    func count() -> Int {
        let path = folder.appendingPathComponent("log.jsonl").path
        return ((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()).reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
    }

    /// SIGKILL: the test runner's threads block SIGTERM, and children inherit that mask, so python would ignore
    /// a polite stop.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// A port on 127.0.0.1 that nothing listens on (bound, then released): an SMTP server that is down.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw TestFailure("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Waits until `condition` holds, checking every 20 ms for at most `seconds`; false if it never did.
func eventually(within seconds: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}
