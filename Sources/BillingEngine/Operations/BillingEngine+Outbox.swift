import BillingDomain
import BillingStore

/// The outbox as control commands (and later the HTTP API) see it.
extension BillingEngine {
    /// Rows of one status (or all) with an id below `before`, newest first.
    public func outboxMessages(status: OutboxStatus?, before: Int64?, limit: Int) throws -> [OutboxMessage] {
        try store.outboxMessages(status: status, before: before, limit: limit)
    }

    /// An operator's replay of a dead or failed message: due now, so the drain wakes for it.
    public func retryOutbox(id: Int64) throws -> OutboxMessage {
        let message = try store.retryOutbox(id: id, now: clock.nowSeconds())
        logger.notice("outbox message replayed", metadata: ["outbox_id": "\(id)"])
        notifyChange(.outbox)
        return message
    }
}
