import BillingDomain
import Foundation

/// One row of the outbox, as the sender worker and `billingctl outbox list` see it.
public struct OutboxMessage: Sendable, Equatable {
    public var id: Int64
    public var invoiceId: Int64?
    public var invoiceNumber: String?
    public var channel: OutboxChannel
    public var kind: String
    public var recipient: String
    public var language: String?
    public var idempotencyKey: String
    public var status: OutboxStatus
    public var attempts: Int
    public var nextAttemptAt: Int64
    public var leaseUntil: Int64?
    public var lastErrorCode: String?
    public var lastError: String?
    public var providerMessageId: String?
    public var createdAt: Int64
    public var sentAt: Int64?
}

/// A message the provider accepted, to be recorded as sent.
public struct OutboxSent: Sendable, Equatable {
    public var id: Int64
    public var providerMessageId: String?

    public init(id: Int64, providerMessageId: String?) {
        self.id = id
        self.providerMessageId = providerMessageId
    }
}

/// What recording a failed attempt did to the row.
public struct OutboxFailureOutcome: Sendable, Equatable {
    public var attempt: Int
    public var decision: RetryPolicy.Decision
}

/// The outbox operations: claim with a lease, mark sent, record a failure, list, replay, next attempt.
///
/// Claims are leases, not locks: a claimed row is `sending` until `lease_until`; a worker that dies (SIGKILL, power
/// loss) leaves its rows to be claimed again once the lease ran out. That is the one window in which a message can
/// go out twice, and every message carries the row's idempotency key as its Message-ID so the receiver can tell.
/// Rows withdrawn by a cancellation (`withdrawn`) are never claimed.
extension Store {
    private static let outboxColumns = """
        id, invoice_id, channel, kind, recipient, language, idempotency_key, status, attempts, next_attempt_at,
        lease_until, last_error_code, last_error, provider_message_id, created_at, sent_at
        """

    /// The schema's CHECK constraints hold channel and status to the enums' values; a row that escaped them
    /// (written with the checks off) is reported, not guessed.
    private static func decodeOutbox(_ row: Statement) throws -> OutboxMessage {
        let id = row.int64(0)
        guard let channel = OutboxChannel(rawValue: row.text(2)), let status = OutboxStatus(rawValue: row.text(7)) else {
            throw BillingError(.invalidStoredRow,
                               "Outbox message \(id) has an unknown channel '\(row.text(2))' or status '\(row.text(7))'.")
        }
        return OutboxMessage(
            id: id, invoiceId: row.optionalInt64(1), invoiceNumber: nil, channel: channel,
            kind: row.text(3), recipient: row.text(4), language: row.optionalText(5), idempotencyKey: row.text(6),
            status: status, attempts: row.int(8), nextAttemptAt: row.int64(9), leaseUntil: row.optionalInt64(10),
            lastErrorCode: row.optionalText(11), lastError: row.optionalText(12),
            providerMessageId: row.optionalText(13), createdAt: row.int64(14), sentAt: row.optionalInt64(15))
    }

    /// Claims up to `limit` due rows for `leaseSeconds`: pending rows whose attempt is due, and rows still
    /// `sending` whose lease ran out (their worker died). Oldest due first.
    public func claimOutbox(now: Int64, leaseSeconds: Int64, limit: Int) throws -> [OutboxMessage] {
        try write { db in
            try db.transaction {
                var claimed = try db.cached("""
                    UPDATE outbox SET status = 'sending', lease_until = ?1 + ?2, updated_at = ?1
                    WHERE id IN (
                        SELECT id FROM outbox
                        WHERE (status = 'pending' AND next_attempt_at <= ?1) OR (status = 'sending' AND lease_until <= ?1)
                        ORDER BY next_attempt_at, id LIMIT ?3)
                    RETURNING \(Self.outboxColumns)
                    """).bind(.integer(now), .integer(leaseSeconds), .int(limit)).all(Self.decodeOutbox)
                let number = try db.cached("SELECT number FROM invoices WHERE id = ?")
                for index in claimed.indices {
                    guard let invoiceID = claimed[index].invoiceId else { continue }
                    number.reset()
                    claimed[index].invoiceNumber = try number.bind(.integer(invoiceID)).first { $0.text(0) }
                }
                return claimed.sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }
            }
        }
    }

    /// Records a batch of sent messages in one transaction (one commit, one sync, instead of one per message) and
    /// returns how many rows it marked. A message that left is recorded whatever happened to the row meanwhile
    /// (an expired lease, a cancellation), except a row already marked sent: that is the duplicate of a resend.
    /// A crash before the commit leaves the whole batch `sending`: up to a batch
    /// is sent again after the lease, each message with its same Message-ID.
    @discardableResult
    public func markOutboxSent(_ sends: [OutboxSent], now: Int64) throws -> Int {
        try write { db in
            try db.transaction {
                var marked = 0
                for sent in sends {
                    let (id, providerMessageId) = (sent.id, sent.providerMessageId)
                    guard let row = try db.cached("""
                        UPDATE outbox SET status = 'sent', provider_message_id = ?, sent_at = ?, updated_at = ?,
                            lease_until = NULL, attempts = attempts + 1
                        WHERE id = ? AND status <> 'sent'
                        RETURNING invoice_id, channel, recipient, kind
                        """).bind(.string(providerMessageId), .integer(now), .integer(now), .integer(id))
                        .first({ ($0.optionalInt64(0), $0.text(1), $0.text(2), $0.text(3)) }) else { continue }
                    marked += 1
                    if let invoiceID = row.0 {
                        try History.add(invoiceID, "notification_sent", at: now, channel: row.1, target: row.2,
                                        detail: "\(row.3); provider id \(providerMessageId ?? "-")", db: db)
                    }
                }
                return marked
            }
        }
    }

    /// Records a failed attempt: the attempt log, the row's next state under `policy`, and the invoice's history.
    public func recordOutboxFailure(
        id: Int64, failure: DeliveryFailure, policy: RetryPolicy, now: Int64, jitter: Double
    ) throws -> OutboxFailureOutcome {
        try write { db in
            try db.transaction {
                guard let row = try db.cached("""
                    UPDATE outbox SET attempts = attempts + 1, last_error_code = ?, last_error = ?, updated_at = ?
                    WHERE id = ? RETURNING attempts, invoice_id, channel, recipient, kind, status
                    """).bind(.text(failure.code), .text(failure.message), .integer(now), .integer(id))
                    .first({ ($0.int(0), $0.optionalInt64(1), $0.text(2), $0.text(3), $0.text(4),
                              $0.text(5)) }) else {
                    throw BillingError(.outboxNotFound, "No outbox message has the id \(id).")
                }
                let attempt = row.0
                try db.cached("INSERT INTO outbox_attempts (outbox_id, at, error_code, error_message) VALUES (?, ?, ?, ?)")
                    .bind(.integer(id), .integer(now), .text(failure.code), .text(failure.message)).run()
                let decision = policy.decide(attempt: attempt, failure: failure, now: now, jitter: jitter)
                let detail: String
                switch decision {
                case .retry(let at):
                    detail = "\(row.4); attempt \(attempt) of \(policy.maxAttempts), next attempt at \(ISO8601.formatUTC(Date(timeIntervalSince1970: TimeInterval(at))))"
                    try setStatus(id, "pending", nextAttemptAt: at, now: now, db: db)
                case .failed:
                    detail = "\(row.4); attempt \(attempt), permanent failure: not retried"
                    try setStatus(id, "failed", nextAttemptAt: nil, now: now, db: db)
                case .dead:
                    detail = "\(row.4); attempt \(attempt) of \(policy.maxAttempts): no attempt left, dead"
                    try setStatus(id, "dead", nextAttemptAt: nil, now: now, db: db)
                }
                if let invoiceID = row.1 {
                    try History.add(invoiceID, "notification_failed", at: now, channel: row.2, target: row.3,
                                    errorCode: failure.code, errorMessage: failure.message, detail: detail, db: db)
                }
                return OutboxFailureOutcome(attempt: attempt, decision: decision)
            }
        }
    }

    /// Moves a claimed row on; a row withdrawn meanwhile (its invoice was canceled) stays withdrawn.
    private func setStatus(_ id: Int64, _ status: String, nextAttemptAt: Int64?, now: Int64, db: SQLiteConnection) throws {
        try db.cached("""
            UPDATE outbox SET status = ?, next_attempt_at = coalesce(?, next_attempt_at), lease_until = NULL, updated_at = ?
            WHERE id = ? AND status IN ('sending', 'pending')
            """).bind(.text(status), .int64(nextAttemptAt), .integer(now), .integer(id)).run()
    }

    /// Hands claimed rows back unsent (the drain was stopped before their turn): pending again, due as before.
    public func releaseOutbox(ids: [Int64], now: Int64) throws {
        try write { db in
            try db.transaction {
                let release = try db.cached("""
                    UPDATE outbox SET status = 'pending', lease_until = NULL, updated_at = ? WHERE id = ? AND status = 'sending'
                    """)
                for id in ids {
                    release.reset()
                    try release.bind(.integer(now), .integer(id)).run()
                }
            }
        }
    }

    /// Rows of one status (or all) with an id below `before`, newest first, for `billingctl outbox list`.
    public func outboxMessages(status: OutboxStatus?, before: Int64?, limit: Int) throws -> [OutboxMessage] {
        try read { db in
            try db.cached("""
                SELECT o.id, o.invoice_id, o.channel, o.kind, o.recipient, o.language, o.idempotency_key, o.status,
                       o.attempts, o.next_attempt_at, o.lease_until, o.last_error_code, o.last_error,
                       o.provider_message_id, o.created_at, o.sent_at, i.number
                FROM outbox o LEFT JOIN invoices i ON i.id = o.invoice_id
                WHERE o.id < ?3 AND (?1 IS NULL OR o.status = ?1) ORDER BY o.id DESC LIMIT ?2
                """).bind(.string(status?.rawValue), .int(limit), .integer(before ?? Int64.max)).all { row in
                var message = try Self.decodeOutbox(row)
                message.invoiceNumber = row.optionalText(16)
                return message
            }
        }
    }

    /// An operator's replay of a dead or failed row: pending again, due now, with a fresh set of attempts (the
    /// old ones stay in the attempt log and the history).
    public func retryOutbox(id: Int64, now: Int64) throws -> OutboxMessage {
        try write { db in
            try db.transaction {
                guard let status = try db.cached("SELECT status FROM outbox WHERE id = ?").bind(.integer(id))
                    .first({ $0.text(0) }) else {
                    throw BillingError(.outboxNotFound, "No outbox message has the id \(id).")
                }
                guard OutboxStatus(rawValue: status)?.isRetryable == true else {
                    throw BillingError(.invalidTransition,
                                       "Outbox message \(id) is \(status); only dead or failed messages can be retried.")
                }
                guard var row = try db.cached("""
                    UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?1, lease_until = NULL,
                        updated_at = ?1
                    WHERE id = ?2 RETURNING \(Self.outboxColumns)
                    """).bind(.integer(now), .integer(id)).first(Self.decodeOutbox) else {
                    throw BillingError(.outboxNotFound, "No outbox message has the id \(id).")
                }
                if let invoiceID = row.invoiceId {
                    try History.add(invoiceID, "notification_retried", at: now, channel: row.channel.rawValue,
                                    target: row.recipient, detail: "\(row.kind); \(status) message replayed by an operator",
                                    db: db)
                    row.invoiceNumber = try db.cached("SELECT number FROM invoices WHERE id = ?")
                        .bind(.integer(invoiceID)).first { $0.text(0) }
                }
                return row
            }
        }
    }
}
