/// `outbox list`: one page of messages, newest first.
public struct OutboxListAnswer: Codable, Sendable, Equatable {
    public var messages: [OutboxMessageAnswer]
    public var next: String?

    public init(messages: [OutboxMessageAnswer], next: String?) {
        self.messages = messages
        self.next = next
    }
}

/// One outbox message (also the answer of `outbox retry`).
public struct OutboxMessageAnswer: Codable, Sendable, Equatable {
    public var id: Int64
    public var invoiceNumber: String?
    public var channel: String
    public var kind: String
    public var recipient: String
    public var status: String
    public var attempts: Int
    public var nextAttemptAt: String?
    public var lastErrorCode: String?
    public var lastError: String?
    public var providerMessageId: String?
    public var idempotencyKey: String
    public var createdAt: String?
    public var sentAt: String?

    public init(
        id: Int64,
        invoiceNumber: String?,
        channel: String,
        kind: String,
        recipient: String,
        status: String,
        attempts: Int,
        nextAttemptAt: String?,
        lastErrorCode: String?,
        lastError: String?,
        providerMessageId: String?,
        idempotencyKey: String,
        createdAt: String?,
        sentAt: String?
    ) {
        self.id = id
        self.invoiceNumber = invoiceNumber
        self.channel = channel
        self.kind = kind
        self.recipient = recipient
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastErrorCode = lastErrorCode
        self.lastError = lastError
        self.providerMessageId = providerMessageId
        self.idempotencyKey = idempotencyKey
        self.createdAt = createdAt
        self.sentAt = sentAt
    }
}
