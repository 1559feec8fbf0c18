import BillingDomain
import BillingStore
import Foundation
import Testing

/// The store's outbox operations on a real SQLite file: leases, failures, replays, the next attempt.
@Suite("Outbox store operations")
struct OutboxStoreTests {
    /// A database with one invoice and five pending e-mails due at t=100, one due at t=1000, one withdrawn.
    private func store() throws -> (Store, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-\(UUID().uuidString).sqlite").path
        let store = try Store(options: .init(path: path), now: 0)
        try sqlite(path, """
            INSERT INTO customers (id, guid, created_at, updated_at) VALUES (1, 'c-1', 0, 0);
            INSERT INTO invoices (id, number, series, sequence, customer_id, issue_date, due_date, time_zone, currency,
                currency_rate, total_exc_vat, total_vat, total_inc_vat, total_cost, payment_reference, generated_at)
            VALUES (1, 'INV-1', 'INV', 1, 1, '2027-01-01', '2027-01-31', 'UTC', 'EUR', '1', 100, 25, 125, 0,
                'RF18INV1', 0);
            INSERT INTO invoice_state (invoice_id, status, past_due_at, balance) VALUES (1, 'Due', 0, 125);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5)
            INSERT INTO outbox (invoice_id, channel, kind, recipient, idempotency_key, status, next_attempt_at, created_at, updated_at)
            SELECT 1, 'email', 'invoice_issued', 'a@example.com', 'k' || i, 'pending', 100, 0, 0 FROM n;
            INSERT INTO outbox (invoice_id, channel, kind, recipient, idempotency_key, status, next_attempt_at, created_at, updated_at)
            VALUES (1, 'sms', 'invoice_issued', '+46701234567', 'later', 'pending', 1000, 0, 0),
                   (1, 'email', 'invoice_issued', 'a@example.com', 'withdrawn', 'withdrawn', 0, 0, 0);
            """)
        return (store, path)
    }

    private func sqlite(_ path: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-batch", "-separator", "|", path, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private let policy = RetryPolicy(maxAttempts: 3, baseSeconds: 60, maxSeconds: 600)

    @Test func aClaimedRowIsNotClaimedAgainUntilItsLeaseRunsOut() throws {
        let (store, _) = try store()
        let first = try store.claimOutbox(now: 100, leaseSeconds: 60, limit: 3)
        #expect(first.map(\.idempotencyKey) == ["k1", "k2", "k3"])
        #expect(first.allSatisfy { $0.status == "sending" && $0.leaseUntil == 160 && $0.invoiceNumber == "INV-1" })
        #expect(try store.claimOutbox(now: 100, leaseSeconds: 60, limit: 10).map(\.idempotencyKey) == ["k4", "k5"])
        #expect(try store.claimOutbox(now: 159, leaseSeconds: 60, limit: 10).isEmpty, "leases held, nothing else due")
        #expect(try store.nextOutboxAttemptAt() == 160, "the scheduler wakes when the leases run out")
        let reclaimed = try store.claimOutbox(now: 160, leaseSeconds: 60, limit: 10)
        #expect(reclaimed.map(\.idempotencyKey) == ["k1", "k2", "k3", "k4", "k5"], "a dead sender's rows come back")
        #expect(try store.claimOutbox(now: 5_000, leaseSeconds: 60, limit: 10).map(\.idempotencyKey)
                == ["k1", "k2", "k3", "k4", "k5", "later"], "oldest due first; withdrawn rows are never claimed")
    }

    @Test func transientFailuresBackOffThenDieAndPermanentOnesFailAtOnce() throws {
        let (store, path) = try store()
        let failure = DeliveryFailure.transient("SMTP_451", "451 4.3.0 try later")
        var now: Int64 = 100
        for attempt in 1...3 {
            _ = try store.claimOutbox(now: now, leaseSeconds: 60, limit: 1)
            let outcome = try store.recordOutboxFailure(id: 1, failure: failure, policy: policy, now: now, jitter: 0.5)
            #expect(outcome.attempt == attempt)
            if attempt < 3 {
                guard case .retry(let at) = outcome.decision else { Issue.record("\(outcome)"); return }
                // 60, then 120 s: half fixed, half jitter (0.5 here).
                #expect(at - now == (attempt == 1 ? 45 : 90))
                #expect(try sqlite(path, "SELECT status, next_attempt_at FROM outbox WHERE id = 1") == "pending|\(at)")
                now = at
            } else {
                #expect(outcome.decision == .dead)
            }
        }
        #expect(try sqlite(path, "SELECT status, attempts, last_error_code FROM outbox WHERE id = 1") == "dead|3|SMTP_451")
        #expect(try sqlite(path, "SELECT count(*) FROM outbox_attempts WHERE outbox_id = 1") == "3")
        #expect(try sqlite(path, "SELECT count(*) FROM invoice_history WHERE type = 'notification_failed' AND error_code = 'SMTP_451' AND error_message = '451 4.3.0 try later'") == "3")

        _ = try store.claimOutbox(now: now, leaseSeconds: 60, limit: 1)
        let permanent = try store.recordOutboxFailure(
            id: 2, failure: .permanent("SMTP_550", "550 no such user"), policy: policy, now: now, jitter: 0)
        #expect(permanent.attempt == 1 && permanent.decision == .failed)
        #expect(try store.outboxMessages(status: "failed").map(\.idempotencyKey) == ["k2"])
    }

    @Test func anOperatorReplaysDeadAndFailedRowsOnly() throws {
        let (store, path) = try store()
        _ = try store.claimOutbox(now: 100, leaseSeconds: 60, limit: 1)
        _ = try store.recordOutboxFailure(id: 1, failure: .permanent("HTTP_400", "bad number"), policy: policy, now: 100, jitter: 0)
        let replayed = try store.retryOutbox(id: 1, now: 200)
        #expect(replayed.status == "pending" && replayed.attempts == 0 && replayed.nextAttemptAt == 200)
        #expect(try sqlite(path, "SELECT count(*) FROM invoice_history WHERE type = 'notification_retried'") == "1")
        #expect(try sqlite(path, "SELECT count(*) FROM outbox_attempts WHERE outbox_id = 1") == "1", "old attempts are kept")
        #expect(throws: BillingError.self) { try store.retryOutbox(id: 2, now: 200) }
        do {
            _ = try store.retryOutbox(id: 42, now: 200)
            Issue.record("an unknown id was replayed")
        } catch let error as BillingError {
            #expect(error.code == .outboxNotFound)
        }
        #expect(try store.markOutboxSent(id: 1, providerMessageId: "250 ok", now: 210))
        #expect(try !store.markOutboxSent(id: 1, providerMessageId: "250 ok", now: 220), "marked once")
        #expect(try sqlite(path, "SELECT status, provider_message_id, sent_at FROM outbox WHERE id = 1") == "sent|250 ok|210")
        #expect(throws: BillingError.self) { try store.retryOutbox(id: 1, now: 300) }
    }
}
