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
    private let stopping = LockedFlag()

    public init() {}

    public func requestStop() { stopping.set() }

    var stopRequested: Bool { stopping.isSet }
}

/// The outbox drain: claims due messages with a lease, renders and sends them with up to `outbox.concurrency`
/// senders, and records each result. The one entry point for the scheduler, `billingctl drain` and `--once`.
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
        var report = OutboxDrainReport()
        for _ in 0..<Self.maxBatches {
            if engine.drainControl.stopRequested { break }
            let batch = try engine.store.claimOutbox(
                now: engine.clock.nowSeconds(), leaseSeconds: Int64(configuration.outboxLeaseSeconds), limit: batchSize)
            if batch.isEmpty { break }
            report.claimed += batch.count
            let outcomes = Outcomes()
            let next = NextIndex(count: batch.count)
            DispatchQueue.concurrentPerform(iterations: min(configuration.outboxConcurrency, batch.count)) { _ in
                while !engine.drainControl.stopRequested, let index = next.take() {
                    outcomes.add(sender.deliver(batch[index]))
                }
            }
            let sentRecorded = sender.recordSent(outcomes.sent(of: batch))
            let untouched = batch.map(\.id).filter { !outcomes.handled.contains($0) }
            if !untouched.isEmpty { try engine.store.releaseOutbox(ids: untouched, now: engine.clock.nowSeconds()) }
            outcomes.merge(into: &report, sentRecorded: sentRecorded)
        }
        if report.claimed > 0 {
            engine.logger.info(
                "outbox drained: \(report.sent) sent, \(report.retrying) to retry, \(report.failed) failed, \(report.dead) dead")
        }
        return report
    }
}

/// Hands out the indexes of a batch to the sender threads.
private final class NextIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int

    init(count: Int) { self.count = count }

    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}

/// The results of one batch, collected from the sender threads.
private final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [(Int64, OutboxSender.Outcome)] = []

    func add(_ result: (Int64, OutboxSender.Outcome)) {
        lock.lock()
        results.append(result)
        lock.unlock()
    }

    var handled: Set<Int64> {
        lock.lock()
        defer { lock.unlock() }
        return Set(results.map(\.0))
    }

    /// The rows of `batch` that went out, with what the provider said.
    func sent(of batch: [OutboxMessage]) -> [(row: OutboxMessage, providerID: String)] {
        lock.lock()
        defer { lock.unlock() }
        let rows = Dictionary(uniqueKeysWithValues: batch.map { ($0.id, $0) })
        return results.compactMap { id, outcome in
            guard case .sent(let providerID) = outcome, let row = rows[id] else { return nil }
            return (row, providerID)
        }
    }

    func merge(into report: inout OutboxDrainReport, sentRecorded: Bool) {
        lock.lock()
        defer { lock.unlock() }
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
