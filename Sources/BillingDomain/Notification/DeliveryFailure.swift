/// Why one attempt to deliver a message failed, as the outbox records it.
///
/// `code` is a stable upper-case word (`SMTP_550`, `HTTP_429`, `CONNECTION_FAILED`, `INVALID_ADDRESS`, …) that lands
/// in the invoice's history and the attempt log; `message` is what the other side said, or what went wrong.
public struct DeliveryFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    /// True when sending again cannot succeed (SMTP 5xx, HTTP 4xx, a malformed address).
    public var permanent: Bool
    /// The receiver's own hint (HTTP Retry-After), in seconds.
    public var retryAfterSeconds: Int?

    public init(code: String, message: String, permanent: Bool, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.message = message
        self.permanent = permanent
        self.retryAfterSeconds = retryAfterSeconds
    }

    public static func transient(_ code: String, _ message: String, retryAfter: Int? = nil) -> DeliveryFailure {
        DeliveryFailure(code: code, message: message, permanent: false, retryAfterSeconds: retryAfter)
    }

    public static func permanent(_ code: String, _ message: String) -> DeliveryFailure {
        DeliveryFailure(code: code, message: message, permanent: true)
    }

    public var description: String { "\(code): \(message)" }
}
