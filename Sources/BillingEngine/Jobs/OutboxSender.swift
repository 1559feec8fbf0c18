import BillingDelivery
import BillingDomain
import BillingStore
import Foundation
import Logging
import Synchronization

/// Sends one claimed outbox row and records a failure at once; successes are recorded per batch (`recordSent`).
/// Called from several sender threads at once.
struct OutboxSender: Sendable {
    /// `sent`: handed over, to be recorded with the rest of its batch.
    enum Outcome: Sendable { case sent(providerID: String), retrying, failed, dead, unrecorded }

    let engine: BillingEngine
    let channels: OutboxChannels
    let policy: RetryPolicy
    private let documents = DocumentCache()

    init(engine: BillingEngine, channels: OutboxChannels, configuration: Configuration) {
        self.engine = engine
        self.channels = channels
        policy = RetryPolicy(maxAttempts: configuration.outboxMaxAttempts,
                             baseSeconds: configuration.outboxBackoffBaseSeconds,
                             maxSeconds: configuration.outboxBackoffMaxSeconds)
    }

    func deliver(_ row: OutboxMessage) -> (Int64, Outcome) {
        let providerID: String
        do {
            providerID = try send(row)
        } catch {
            let failure = error as? DeliveryFailure
                ?? (error as? BillingError).map { DeliveryFailure.transient($0.code, $0.message) }
                ?? DeliveryFailure.transient(.internalError, "\(error)")
            // A transport that refuses for a while (server down, timeouts, 4xx) is the channel's fault, not the
            // message's; a permanent refusal or a failure before the transport was reached is the message's.
            if error is DeliveryFailure, !failure.permanent {
                engine.recordFailure(failure, scope: row.channel.rawValue, retryAt: nil)
            }
            return (row.id, record(failure, for: row))
        }
        engine.recordSuccess(scope: row.channel.rawValue)
        return (row.id, .sent(providerID: providerID))
    }

    /// Records a batch's sent messages in one commit; false when that failed (they stay `sending`).
    ///
    /// A crash before this commit leaves the rows `sending`; after their lease they are sent again with the same
    /// Message-ID / idempotency key, which is how the receiver recognises the duplicate. Up to two batches
    /// (`outbox.concurrency` × 8 messages each: the one recorded and the one the senders work on meanwhile) can be
    /// resent that way, in exchange for one sync per batch, not per message.
    func recordSent(_ sends: [(row: OutboxMessage, providerID: String)]) -> Bool {
        guard !sends.isEmpty else { return true }
        do {
            try engine.store.markOutboxSent(sends.map { OutboxSent(id: $0.row.id, providerMessageId: $0.providerID) },
                                            now: engine.clock.nowSeconds())
        } catch {
            for send in sends {
                engine.logger.error("notification sent but not recorded; it will be sent again after its lease: \(error)",
                                    metadata: metadata(send.row))
            }
            return false
        }
        for send in sends {
            engine.logger.info("notification sent", metadata: metadata(send.row).merging([
                "provider_id": "\(send.providerID)", "message_id": "\(JournalMessageID.notificationSent)",
            ]) { $1 })
        }
        return true
    }

    private func send(_ row: OutboxMessage) throws -> String {
        guard let number = row.invoiceNumber else {
            throw DeliveryFailure.permanent(.invoiceNotFound, "Outbox message \(row.id) belongs to no invoice.")
        }
        let entry = try documents.entry(number) {
            try InvoiceDocument.load(number: number, store: engine.store, configuration: engine.configuration)
        }
        let request = MessageComposer.Request(
            kind: row.kind, recipient: row.recipient, language: row.language ?? entry.customer.language,
            idempotencyKey: row.idempotencyKey, invoice: entry.document, date: engine.clock.now())
        switch row.channel {
        case .email:
            let message = try channels.composer.get().email(request, pdf: entry.pdf(language: request.language))
            channels.pace("email")
            return try channels.email.send(message)
        case .sms:
            let message = try channels.composer.get().sms(request)
            channels.pace("sms")
            return try channels.sms.send(message)
        case .post:
            let composer = try channels.composer.get()
            return try channels.post.send(composer.post(request, pdf: entry.pdf(language: request.language)))
        }
    }

    private func record(_ failure: DeliveryFailure, for row: OutboxMessage) -> Outcome {
        let outcome: OutboxFailureOutcome
        do {
            outcome = try engine.store.recordOutboxFailure(
                id: row.id, failure: failure, policy: policy, now: engine.clock.nowSeconds(),
                jitter: Double.random(in: 0..<1))
        } catch {
            engine.logger.error("could not record a failed notification: \(error)", metadata: metadata(row))
            return .unrecorded
        }
        var fields = metadata(row).merging([
            "error_code": "\(failure.code)", "attempt": "\(outcome.attempt)",
            "message_id": "\(JournalMessageID.notificationFailed)",
        ]) { $1 }
        switch outcome.decision {
        case .retry(let at):
            fields["next_attempt_at"] = "\(ISO8601.formatUTC(Date(timeIntervalSince1970: TimeInterval(at))))"
            engine.logger.warning("notification failed, will retry: \(failure.message)", metadata: fields)
            return .retrying
        case .failed:
            engine.logger.error("notification failed permanently: \(failure.message)", metadata: fields)
            return .failed
        case .dead:
            engine.logger.error("notification dead after \(outcome.attempt) attempts: \(failure.message)", metadata: fields)
            return .dead
        }
    }

    private func metadata(_ row: OutboxMessage) -> Logger.Metadata {
        ["outbox_id": "\(row.id)", "invoice_number": "\(row.invoiceNumber ?? "-")", "channel": "\(row.channel)",
         "kind": "\(row.kind)"]
    }
}

/// Invoices and their PDFs, loaded once per drain: a batch often holds the e-mail, SMS and letter of one invoice.
private final class DocumentCache: Sendable {
    final class Entry: Sendable {
        let document: InvoiceDocument
        let customer: Customer
        private let pdfs = Mutex<[String: [UInt8]]>([:])

        init(document: InvoiceDocument, customer: Customer) {
            self.document = document
            self.customer = customer
        }

        func pdf(language: String?) -> [UInt8] {
            let key = language ?? ""
            return pdfs.withLock { pdfs in
                if let pdf = pdfs[key] { return pdf }
                let pdf = InvoicePDF.render(document, language: language)
                pdfs[key] = pdf
                return pdf
            }
        }
    }

    private let entries = Mutex<[String: Entry]>([:])

    func entry(_ number: String, load: () throws -> (InvoiceDocument, Customer)) throws -> Entry {
        if let entry = entries.withLock({ $0[number] }) { return entry }
        let (document, customer) = try load()
        let entry = Entry(document: document, customer: customer)
        return entries.withLock { entries in
            if let kept = entries[number] { return kept }
            entries[number] = entry
            return entry
        }
    }
}
