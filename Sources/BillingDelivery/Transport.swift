import BillingDomain

/// Sends e-mail. Implemented by the spool folder (the embedded default), SMTP and sendmail.
///
/// `send` is called by the outbox drain once per message, from up to `outbox.concurrency` threads at once, and
/// blocks until the message was handed over or refused. It returns the provider's id for the message (what the
/// receiving server said, the file written, …) and throws a `DeliveryFailure` that says whether to retry.
/// `finish` is called when a drain ends, to release what the transport kept open between messages.
public protocol EmailTransport: Sendable {
    func send(_ message: EmailMessage) throws -> String
    func finish()
}

/// Sends text messages: the spool folder (the embedded default) or an HTTP gateway. Same contract as e-mail.
public protocol SMSTransport: Sendable {
    func send(_ message: SMSMessage) throws -> String
    func finish()
}

extension EmailTransport {
    public func finish() {}
}

extension SMSTransport {
    public func finish() {}
}

/// One text message.
public struct SMSMessage: Sendable, Equatable {
    public var to: String
    public var body: String
    /// The outbox row's idempotency key, passed to the gateway so it can drop a resend.
    public var idempotencyKey: String

    public init(to: String, body: String, idempotencyKey: String) {
        self.to = to
        self.body = body
        self.idempotencyKey = idempotencyKey
    }
}

/// A document for the print service: the invoice PDF, named after the outbox row.
public struct PostDocument: Sendable, Equatable {
    public var fileName: String
    public var pdf: [UInt8]

    public init(fileName: String, pdf: [UInt8]) {
        self.fileName = fileName
        self.pdf = pdf
    }
}
