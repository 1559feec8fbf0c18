import BillingDomain
import BillingStore
import Foundation
import Testing

/// The outbox operations of every store: leases, failures, replays, the next wake.
@Suite("Outbox storage operations")
struct OutboxStorageTests {
    /// The rows `seed` queued: five pending e-mails due at t0, a letter due at t0 + 900, one withdrawn e-mail.
    private struct Seeded {
        let store: StorageUnderTest
        var storage: any BillingStorage { store.storage }
        let emails: [Int64]
        let letter: Int64
        let withdrawn: Int64
    }

    /// Six invoices generated at t0 (each queues its e-mail), the sixth canceled (its e-mail withdrawn), the first
    /// resent by post at t0 + 900.
    private func seed(_ setup: StorageSetup) throws -> Seeded {
        let store = try setup.open()
        let invoices = try StorageFixture.generateFirstRuns(store.storage, count: 6)
        try #require(invoices.count == 6)
        let canceled = try store.storage.cancel(number: invoices[5].number, now: t0)
        #expect(canceled.status == .canceled && canceled.withdrawn == 1)
        let letter = try store.storage.resend(number: invoices[0].number, channel: .post, to: nil, now: t0 + 900)
        let rows = try store.storage.outboxMessages().sorted { $0.id < $1.id }
        let emails = rows.filter { $0.channel == .email && $0.status == .pending }
        #expect(emails.map(\.invoiceNumber) == invoices.prefix(5).map { Optional($0.number) })
        #expect(emails.allSatisfy { $0.kind == "invoice_issued" && $0.nextAttemptAt == t0 && $0.attempts == 0 })
        let withdrawn = try #require(rows.first { $0.status == .withdrawn })
        #expect(withdrawn.invoiceNumber == invoices[5].number)
        return Seeded(store: store, emails: emails.map(\.id), letter: letter.outboxId, withdrawn: withdrawn.id)
    }

    private let t0 = StorageFixture.t0
    private let policy = RetryPolicy(maxAttempts: 3, baseSeconds: 60, maxSeconds: 600)

    private func row(_ storage: any BillingStorage, _ id: Int64) throws -> OutboxMessage {
        try #require(try storage.outboxMessages().first { $0.id == id })
    }

    @Test(arguments: StorageSetup.all)
    func aClaimedRowIsNotClaimedAgainUntilItsLeaseRunsOut(_ setup: StorageSetup) throws {
        let seeded = try seed(setup)
        let storage = seeded.storage
        let first = try storage.claimOutbox(now: t0, leaseSeconds: 60, limit: 3)
        #expect(first.map(\.id) == Array(seeded.emails.prefix(3)))
        #expect(first.allSatisfy { $0.status == .sending && $0.leaseUntil == t0 + 60 && $0.invoiceNumber != nil })
        #expect(try storage.claimOutbox(now: t0, leaseSeconds: 60, limit: 10).map(\.id) == Array(seeded.emails.suffix(2)))
        #expect(try storage.claimOutbox(now: t0 + 59, leaseSeconds: 60, limit: 10).isEmpty, "leases held, nothing else due")
        #expect(try storage.nextOutboxWakeAt() == t0 + 60, "the drain wakes when the leases run out")
        let reclaimed = try storage.claimOutbox(now: t0 + 60, leaseSeconds: 60, limit: 10)
        #expect(reclaimed.map(\.id) == seeded.emails, "a dead sender's rows come back")
        #expect(try storage.claimOutbox(now: t0 + 5_000, leaseSeconds: 60, limit: 10).map(\.id)
                == seeded.emails + [seeded.letter], "oldest due first; withdrawn rows are never claimed")
    }

    @Test(arguments: StorageSetup.all)
    func releasedRowsArePendingAgainAndDueAsBefore(_ setup: StorageSetup) throws {
        let seeded = try seed(setup)
        let storage = seeded.storage
        let claimed = try storage.claimOutbox(now: t0 + 10, leaseSeconds: 600, limit: 2)
        try storage.releaseOutbox(ids: claimed.map(\.id), now: t0 + 20)
        for id in claimed.map(\.id) {
            let released = try row(storage, id)
            #expect(released.status == .pending && released.leaseUntil == nil && released.nextAttemptAt == t0)
        }
        #expect(try storage.claimOutbox(now: t0 + 30, leaseSeconds: 60, limit: 10).map(\.id) == seeded.emails)
    }

    @Test(arguments: StorageSetup.all)
    func transientFailuresBackOffThenDieAndPermanentOnesFailAtOnce(_ setup: StorageSetup) throws {
        let seeded = try seed(setup)
        let storage = seeded.storage
        let id = seeded.emails[0]
        let failure = DeliveryFailure.transient(.smtpReply(451), "451 4.3.0 try later")
        var now = t0
        for attempt in 1...3 {
            _ = try storage.claimOutbox(now: now, leaseSeconds: 60, limit: 1)
            let outcome = try storage.recordOutboxFailure(id: id, failure: failure, policy: policy, now: now, jitter: 0.5)
            #expect(outcome.attempt == attempt)
            if attempt < 3 {
                guard case .retry(let at) = outcome.decision else { Issue.record("\(outcome)"); return }
                // 60, then 120 s: half fixed, half jitter (0.5 here).
                #expect(at - now == (attempt == 1 ? 45 : 90))
                let retrying = try row(storage, id)
                #expect(retrying.status == .pending && retrying.nextAttemptAt == at)
                now = at
            } else {
                #expect(outcome.decision == .dead)
            }
        }
        let dead = try row(storage, id)
        #expect(dead.status == .dead && dead.attempts == 3 && dead.lastErrorCode == "SMTP_451")
        let history = try storage.invoice(number: try #require(dead.invoiceNumber)).history
        #expect(history.filter {
            $0.type == "notification_failed" && $0.errorCode == "SMTP_451" && $0.errorMessage == "451 4.3.0 try later"
        }.count == 3)

        _ = try storage.claimOutbox(now: now, leaseSeconds: 60, limit: 1)
        let permanent = try storage.recordOutboxFailure(
            id: seeded.emails[1], failure: .permanent(.smtpReply(550), "550 no such user"), policy: policy, now: now, jitter: 0)
        #expect(permanent.attempt == 1 && permanent.decision == .failed)
        #expect(try storage.outboxMessages(status: .failed).map(\.id) == [seeded.emails[1]])
        #expect(try storage.outboxMessages(status: .dead).map(\.id) == [id])
    }

    @Test(arguments: StorageSetup.all)
    func anOperatorReplaysDeadAndFailedRowsOnly(_ setup: StorageSetup) throws {
        let seeded = try seed(setup)
        let storage = seeded.storage
        let id = seeded.emails[0]
        _ = try storage.claimOutbox(now: t0, leaseSeconds: 60, limit: 1)
        _ = try storage.recordOutboxFailure(id: id, failure: .permanent(.httpStatus(400), "bad number"), policy: policy,
                                            now: t0, jitter: 0)
        let replayed = try storage.retryOutbox(id: id, now: t0 + 200)
        #expect(replayed.status == .pending && replayed.attempts == 0 && replayed.nextAttemptAt == t0 + 200)
        #expect(replayed.invoiceNumber != nil)
        let history = try storage.invoice(number: try #require(replayed.invoiceNumber)).history
        #expect(history.filter { $0.type == "notification_retried" }.count == 1)
        #expect(history.filter { $0.type == "notification_failed" }.count == 1, "the failed attempt stays in the history")
        #expect(throws: BillingError.self, "a pending row is not replayed") {
            try storage.retryOutbox(id: seeded.emails[1], now: t0 + 200)
        }
        #expect(throws: BillingError.self, "a withdrawn row is not replayed") {
            try storage.retryOutbox(id: seeded.withdrawn, now: t0 + 200)
        }
        do {
            _ = try storage.retryOutbox(id: 424_242, now: t0 + 200)
            Issue.record("an unknown id was replayed")
        } catch let error as BillingError {
            #expect(error.code == .outboxNotFound)
        }
        #expect(try storage.markOutboxSent(id: id, providerMessageId: "250 ok", now: t0 + 210))
        #expect(try !storage.markOutboxSent(id: id, providerMessageId: "250 ok", now: t0 + 220), "marked once")
        let sent = try row(storage, id)
        #expect(sent.status == .sent && sent.providerMessageId == "250 ok" && sent.sentAt == t0 + 210)
        #expect(throws: BillingError.self) { try storage.retryOutbox(id: id, now: t0 + 300) }
    }
}
