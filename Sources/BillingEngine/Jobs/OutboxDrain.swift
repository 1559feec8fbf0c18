import BillingDelivery
import BillingDomain
import BillingStore
import Foundation
import Logging

/// What one drain did.
public struct OutboxDrainReport: Sendable, Equatable {
    public var claimed = 0
    public var sent = 0
    /// Failed transiently and pending again.
    public var retrying = 0
    /// Failed permanently.
    public var failed = 0
    /// Out of attempts.
    public var dead = 0
}

/// Lets the daemon's shutdown stop a drain between messages: the messages in flight finish, the rest of the
/// claimed batch is handed back, and SIGTERM does not wait for a queue of thousands.
public final class DrainControl: Sendable {
    private let stopping = SetOnceFlag()

    public init() {}

    public func requestStop() { stopping.set() }

    var stopRequested: Bool { stopping.isSet }
}

/// The outbox drain: claims due messages with a lease, renders and sends them with `outbox.concurrency` sender
/// threads, and records each result. The one entry point for the drain service, `billingctl drain` and `--once`.
///
/// Two batches are in hand at a time: the next one is claimed while the senders work through the current one, and
/// a batch's sends are recorded while the senders already work on the next, so the senders do not wait for the
/// database between batches. A crash loses no more than before: every claimed row stays `sending` under its
/// lease until its result is recorded.
struct OutboxDrain {
    /// Claims per drain: every claim either sends, fails or reschedules its rows, so due rows run out; the bound
    /// only protects against a clock that stands still while every row is retried at once.
    static let maxBatches = 10_000

    let engine: BillingEngine

    func run() throws -> OutboxDrainReport {
        let configuration = engine.configuration
        let channels = OutboxChannels(configuration)
        defer { channels.finish() }
        let sender = OutboxSender(engine: engine, channels: channels, configuration: configuration)
        // A batch a few times the concurrency keeps every sender busy while leases stay short-lived.
        let batchSize = configuration.outboxConcurrency * 8
        let senders = OutboxSenderThreads(count: configuration.outboxConcurrency, stop: engine.drainControl) {
            sender.deliver($0)
        }
        defer { senders.finish() }
        var report = OutboxDrainReport()
        var sending: OutboxBatch?
        var claims = 0
        var exhausted = false
        while true {
            var next: OutboxBatch?
            if !exhausted, claims < Self.maxBatches, !engine.drainControl.stopRequested {
                let batch: [OutboxMessage]
                do {
                    batch = try engine.store.claimOutbox(
                        now: engine.clock.nowSeconds(), leaseSeconds: Int64(configuration.outboxLeaseSeconds), limit: batchSize)
                } catch {
                    // The batch in hand is still finished and recorded before the error ends the drain.
                    if let sending { try record(sending, sender: sender, into: &report) }
                    throw error
                }
                claims += 1
                exhausted = batch.isEmpty
                if !batch.isEmpty {
                    report.claimed += batch.count
                    next = senders.submit(batch)
                }
            }
            if let sending { try record(sending, sender: sender, into: &report) }
            guard let next else { break }
            sending = next
        }
        if report.claimed > 0 {
            engine.logger.info(
                "outbox drained: \(report.sent) sent, \(report.retrying) to retry, \(report.failed) failed, \(report.dead) dead")
        }
        return report
    }

    /// Waits for `batch`, records its sends in one commit and hands back the rows a stop left untouched.
    private func record(_ batch: OutboxBatch, sender: OutboxSender, into report: inout OutboxDrainReport) throws {
        let outcomes = Outcomes(batch.wait())
        let sentRecorded = sender.recordSent(outcomes.sent(of: batch.rows))
        let handled = outcomes.handled
        let untouched = batch.rows.map(\.id).filter { !handled.contains($0) }
        if !untouched.isEmpty { try engine.store.releaseOutbox(ids: untouched, now: engine.clock.nowSeconds()) }
        outcomes.merge(into: &report, sentRecorded: sentRecorded)
    }
}

/// The results of one batch, as the sender threads left them.
private struct Outcomes {
    let results: [(Int64, OutboxSender.Outcome)]

    init(_ results: [(Int64, OutboxSender.Outcome)]) { self.results = results }

    var handled: Set<Int64> { Set(results.map(\.0)) }

    /// The rows of `batch` that went out, with what the provider said.
    func sent(of batch: [OutboxMessage]) -> [(row: OutboxMessage, providerID: String)] {
        let rows = Dictionary(uniqueKeysWithValues: batch.map { ($0.id, $0) })
        return results.compactMap { id, outcome in
            guard case .sent(let providerID) = outcome, let row = rows[id] else { return nil }
            return (row, providerID)
        }
    }

    func merge(into report: inout OutboxDrainReport, sentRecorded: Bool) {
        for (_, outcome) in results {
            switch outcome {
            case .sent: if sentRecorded { report.sent += 1 }
            case .retrying: report.retrying += 1
            case .failed: report.failed += 1
            case .dead: report.dead += 1
            case .unrecorded: break
            }
        }
    }
}
