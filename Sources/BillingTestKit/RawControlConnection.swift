import ControlProtocol
import Foundation

/// A control-socket client that may misbehave on purpose: arbitrary bytes, oversized lines, trickled writes,
/// half-closed connections. billingctl never does these things, so the tests need their own client.
public final class RawControlConnection {
    public enum Reply: Equatable, Sendable {
        case line(String)
        case closed
        case timedOut
    }

    private let socket: BlockingSocket

    public init(path: String) throws {
        socket = try BlockingSocket(path: path)
    }

    /// Writes all of `bytes`; false when the daemon has closed the connection (EPIPE, ECONNRESET).
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        (try? socket.write(bytes)) != nil
    }

    @discardableResult
    public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// "I have nothing more to say": shutdown(SHUT_WR), the daemon reads end-of-file after the bytes sent.
    public func halfClose() { socket.halfClose() }

    /// The next newline-terminated line from the daemon, end-of-file, or nothing within `timeout`.
    public func readLine(timeout: TimeInterval = 30) -> Reply {
        do {
            return try socket.readLine(timeout: timeout).map { .line(String(decoding: $0, as: UTF8.self)) } ?? .closed
        } catch is BlockingSocket.TimedOut {
            return .timedOut
        } catch {
            return .closed
        }
    }

    /// The error code of a refusal line (`{"ok": false, "error": {"code": …}}`), "ok" for a success, or a
    /// description of whatever else came back.
    public static func outcome(_ reply: Reply) -> String {
        guard case .line(let text) = reply else { return "\(reply)" }
        guard let json = try? JSONParser.parse(Array(text.utf8)) else { return "not JSON: \(text.prefix(200))" }
        if json["ok"] == .bool(true) { return "ok" }
        return json["error"]?["code"]?.stringValue ?? "no error code: \(text.prefix(200))"
    }
}
