import BillingDomain
import BillingStore
import ControlProtocol
import Foundation

/// `drain`, `outbox.list`, `outbox.retry`.
enum OutboxCommands {
    static let all: [(String, CommandRouter.Command)] = [
        ("drain", .typed(NoArguments.self, mutating: true) { engine, _ in
            let report = try engine.drainOutbox()
            return DrainAnswer(
                claimed: report.claimed, sent: report.sent, retrying: report.retrying, failed: report.failed,
                dead: report.dead)
        }),
        ("outbox.list", .typed(OutboxListArguments.self, mutating: false) { engine, request in
            let page = try ListPage("outbox", limit: request.limit, after: request.after)
            let messages = try engine.outboxMessages(
                status: try status(request.status), before: page.before, limit: page.fetch)
            let (items, next) = page.items(messages, id: \.id, item: OutboxMessageAnswer.init)
            return OutboxListAnswer(messages: items, next: next)
        }),
        ("outbox.retry", .typed(OutboxRetryArguments.self, mutating: true) { engine, request in
            let text = try Arguments.nonEmpty(request.id, "id")
            guard let id = Int64(text), id > 0 else {
                throw BillingError(.invalidRequest, "Argument 'id' must be an outbox message id (a whole number).", field: "id")
            }
            return OutboxMessageAnswer(try engine.retryOutbox(id: id))
        }),
    ]

    static func status(_ text: String?) throws -> OutboxStatus? {
        guard let text else { return nil }
        guard let status = OutboxStatus(rawValue: text) else {
            let known = OutboxStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw BillingError(.invalidField, "Unknown outbox status '\(text)'; use one of \(known).", field: "status")
        }
        return status
    }
}

extension OutboxMessageAnswer {
    init(_ m: OutboxMessage) {
        func instant(_ seconds: Int64?) -> String? {
            seconds.map { ISO8601.formatUTC(Date(timeIntervalSince1970: TimeInterval($0))) }
        }
        self.init(
            id: m.id, invoiceNumber: m.invoiceNumber, channel: m.channel.rawValue, kind: m.kind, recipient: m.recipient,
            status: m.status.rawValue, attempts: m.attempts, nextAttemptAt: instant(m.nextAttemptAt),
            lastErrorCode: m.lastErrorCode, lastError: m.lastError, providerMessageId: m.providerMessageId,
            idempotencyKey: m.idempotencyKey, createdAt: instant(m.createdAt), sentAt: instant(m.sentAt))
    }
}
