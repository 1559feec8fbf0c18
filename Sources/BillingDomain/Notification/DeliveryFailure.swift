/// Why one attempt to deliver a message failed, as the outbox records it.
///
/// `code` is a stable upper-case word (`SMTP_550`, `HTTP_429`, `CONNECTION_FAILED`, `INVALID_ADDRESS`, …) that lands
/// in the invoice's history and the attempt log; `message` is what the other side said, or what went wrong. The
/// word comes from a closed set (`Cause`), so a misspelt code does not compile.
public struct DeliveryFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What failed: one of billingd's codes, or a numbered answer of the other side.
    public enum Cause: Sendable, Hashable, CustomStringConvertible {
        case code(BillingError.Code)
        /// The SMTP server refused the message (`SMTP_550`).
        case smtpReply(Int)
        /// The SMTP server refused the session: greeting, EHLO, STARTTLS or AUTH (`SMTP_SESSION_535`).
        case smtpSessionReply(Int)
        /// The SMS gateway answered with this HTTP status (`HTTP_429`).
        case httpStatus(Int)
        /// sendmail exited with this status (`SENDMAIL_75`).
        case sendmailExit(Int32)

        public var description: String {
            switch self {
            case .code(let code): code.rawValue
            case .smtpReply(let reply): "SMTP_\(reply)"
            case .smtpSessionReply(let reply): "SMTP_SESSION_\(reply)"
            case .httpStatus(let status): "HTTP_\(status)"
            case .sendmailExit(let status): "SENDMAIL_\(status)"
            }
        }
    }

    public var cause: Cause
    public var message: String
    /// True when sending again cannot succeed (SMTP 5xx, HTTP 4xx, a malformed address).
    public var permanent: Bool
    /// The receiver's own hint (HTTP Retry-After), in seconds.
    public var retryAfterSeconds: Int?

    public init(cause: Cause, message: String, permanent: Bool, retryAfterSeconds: Int? = nil) {
        self.cause = cause
        self.message = message
        self.permanent = permanent
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The word the outbox, the history and the journal record.
    public var code: String { cause.description }

    public static func transient(_ cause: Cause, _ message: String, retryAfter: Int? = nil) -> DeliveryFailure {
        DeliveryFailure(cause: cause, message: message, permanent: false, retryAfterSeconds: retryAfter)
    }

    public static func transient(_ code: BillingError.Code, _ message: String, retryAfter: Int? = nil) -> DeliveryFailure {
        transient(.code(code), message, retryAfter: retryAfter)
    }

    public static func permanent(_ cause: Cause, _ message: String) -> DeliveryFailure {
        DeliveryFailure(cause: cause, message: message, permanent: true)
    }

    public static func permanent(_ code: BillingError.Code, _ message: String) -> DeliveryFailure {
        permanent(.code(code), message)
    }

    public var description: String { "\(code): \(message)" }
}
