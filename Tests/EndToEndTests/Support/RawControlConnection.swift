import ControlProtocol
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A control-socket client that may misbehave on purpose: arbitrary bytes, oversized lines, trickled writes,
/// half-closed connections. billingctl never does these things, so the tests need their own client.
final class RawControlConnection {
    enum Reply: Equatable {
        case line(String)
        case closed
        case timedOut
    }

    let fd: Int32
    private var buffer: [UInt8] = []

    init(path: String) throws {
        fd = try UnixSocket.connect(path: path)
    }

    deinit { close(fd) }

    /// Writes all of `bytes`; false when the daemon has closed the connection (EPIPE, ECONNRESET).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return false
            }
            offset += n
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// "I have nothing more to say": shutdown(SHUT_WR), the daemon reads end-of-file after the bytes sent.
    func halfClose() { shutdown(fd, Int32(SHUT_WR)) }

    /// The next newline-terminated line from the daemon, end-of-file, or nothing within `timeout`.
    func readLine(timeout: TimeInterval = 30) -> Reply {
        let deadline = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return .line(line)
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return .timedOut }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let rc = poll(&entry, 1, Int32(left * 1000) + 1)
            if rc == 0 { return .timedOut }
            if rc < 0 { if errno == EINTR { continue } else { return .closed } }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return .closed }
            if n < 0 { if errno == EINTR || errno == EAGAIN { continue } else { return .closed } }
            buffer.append(contentsOf: chunk[..<n])
        }
    }

    /// The error code of a refusal line (`{"ok": false, "error": {"code": …}}`), "ok" for a success, or a
    /// description of whatever else came back.
    static func outcome(_ reply: Reply) -> String {
        guard case .line(let text) = reply else { return "\(reply)" }
        guard let json = try? JSONParser.parse(Array(text.utf8)) else { return "not JSON: \(text.prefix(200))" }
        if json["ok"] == .bool(true) { return "ok" }
        return json["error"]?["code"]?.stringValue ?? "no error code: \(text.prefix(200))"
    }
}
