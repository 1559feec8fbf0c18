import BillingDomain
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The CLI side of the control socket.
public struct ControlClient: Sendable {
    /// The daemon could not be reached at all (billingctl exit code 3).
    public struct Unreachable: Error, CustomStringConvertible {
        public var description: String
    }

    public var path: String
    public var maxResponseBytes: Int

    public init(path: String, maxResponseBytes: Int = 256 << 20) {
        self.path = path
        self.maxResponseBytes = maxResponseBytes
    }

    /// Sends one request and waits for its answer (jobs such as `run` may legitimately take a while).
    public func send(_ request: ControlRequest) throws -> ControlResponse {
        let fd: Int32
        do {
            fd = try UnixSocket.connect(path: path)
        } catch let error as BillingError {
            throw Unreachable(description: "billingd is not reachable at \(path): \(error.message)")
        }
        defer { close(fd) }
        do {
            try UnixSocket.writeAll(fd, Array((request.json.serialized() + "\n").utf8), deadline: .now + .seconds(60))
        } catch {
            throw Unreachable(description: "billingd at \(path) did not take the request: \(error)")
        }
        var reader = LineReader(fd: fd, maxLineBytes: maxResponseBytes)
        switch reader.next(deadline: nil) {
        case .line(let bytes):
            do {
                return try ControlResponse(json: try JSONParser.parse(
                    bytes, limits: JSONLimits(maxBytes: maxResponseBytes, maxTotalValues: 50_000_000)))
            } catch {
                throw Unreachable(description: "billingd at \(path) answered something that is not a response: \(error)")
            }
        case .end, .timedOut:
            throw Unreachable(description: "billingd at \(path) closed the connection without answering.")
        case .tooLong:
            throw Unreachable(description: "billingd's answer is larger than \(maxResponseBytes) bytes.")
        }
    }
}
