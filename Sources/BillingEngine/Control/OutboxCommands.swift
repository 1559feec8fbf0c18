import BillingDomain
import BillingStore
import ControlProtocol
import Foundation

/// `drain`, `outbox.list`, `outbox.retry`.
enum OutboxCommands {
    static let all: [(String, CommandRouter.Command)] = [
        ("drain", .init(mutating: true) { engine, _ in
            let report = try engine.drainOutbox()
            return [
                "claimed": JSONValue(report.claimed), "sent": JSONValue(report.sent),
                "retrying": JSONValue(report.retrying), "failed": JSONValue(report.failed),
                "dead": JSONValue(report.dead),
            ]
        }),
        ("outbox.list", .init(mutating: false) { engine, args in
            let page = try ListPage("outbox", args)
            let messages = try engine.outboxMessages(
                status: try status(args), before: page.before, limit: page.fetch)
            return page.answer("messages", messages, id: \.id, item: json)
        }),
        ("outbox.retry", .init(mutating: true) { engine, args in
            let text = try args.requiredString("id")
            guard let id = Int64(text), id > 0 else {
                throw BillingError(.invalidRequest, "Argument 'id' must be an outbox message id (a whole number).", field: "id")
            }
            return json(try engine.retryOutbox(id: id))
        }),
    ]

    static func status(_ args: Arguments) throws -> OutboxStatus? {
        guard let text = try args.string("status") else { return nil }
        guard let status = OutboxStatus(rawValue: text) else {
            let known = OutboxStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw BillingError(.invalidField, "Unknown outbox status '\(text)'; use one of \(known).", field: "status")
        }
        return status
    }

    static func json(_ m: OutboxMessage) -> JSONValue {
        func instant(_ seconds: Int64?) -> JSONValue {
            seconds.map { .string(ISO8601.formatUTC(Date(timeIntervalSince1970: TimeInterval($0)))) } ?? .null
        }
        func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        return [
            "id": JSONValue(Int(m.id)), "invoiceNumber": text(m.invoiceNumber), "channel": .string(m.channel.rawValue),
            "kind": .string(m.kind), "recipient": .string(m.recipient), "status": .string(m.status.rawValue),
            "attempts": JSONValue(m.attempts), "nextAttemptAt": instant(m.nextAttemptAt),
            "lastErrorCode": text(m.lastErrorCode), "lastError": text(m.lastError),
            "providerMessageId": text(m.providerMessageId), "idempotencyKey": .string(m.idempotencyKey),
            "createdAt": instant(m.createdAt), "sentAt": instant(m.sentAt),
        ]
    }
}
