import BillingStore
import Foundation

/// The drain's sender threads: `outbox.concurrency` real threads for the whole drain, each with its own SMTP
/// connection once it has sent, taking messages from every submitted batch in order.
///
/// Threads, not `DispatchQueue.concurrentPerform`: that runs at most one iteration per core, so on a 2-core
/// machine 2 senders sent while 2 configured connections stayed unused, and a sender blocked on a reply left its
/// core idle instead of letting another render.
final class OutboxSenderThreads: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [(row: OutboxMessage, batch: OutboxBatch)] = []
    private var next = 0
    private var closed = false
    private let running = DispatchGroup()

    init(count: Int, stop: DrainControl, deliver: @escaping @Sendable (OutboxMessage) -> (Int64, OutboxSender.Outcome)) {
        for _ in 0..<count {
            running.enter()
            Thread.detachNewThread { [self] in
                defer { running.leave() }
                while let (row, batch) = take() {
                    // After a stop request the rest of the batch is left alone and handed back by the drain.
                    batch.done(stop.stopRequested ? nil : deliver(row))
                }
            }
        }
    }

    /// Queues `rows` for the senders; the batch tells when every row has been handled or skipped.
    func submit(_ rows: [OutboxMessage]) -> OutboxBatch {
        let batch = OutboxBatch(rows: rows)
        condition.lock()
        queue.append(contentsOf: rows.map { ($0, batch) })
        condition.broadcast()
        condition.unlock()
        return batch
    }

    /// Lets the threads end once the queue is empty, and waits for them.
    func finish() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
        running.wait()
    }

    private func take() -> (OutboxMessage, OutboxBatch)? {
        condition.lock()
        defer { condition.unlock() }
        while next == queue.count {
            if closed { return nil }
            condition.wait()
        }
        let item = queue[next]
        next += 1
        if next == queue.count {
            queue.removeAll(keepingCapacity: true)
            next = 0
        }
        return item
    }
}

/// One claimed batch on its way through the senders: their results, and a wait for the last of them.
final class OutboxBatch: @unchecked Sendable {
    let rows: [OutboxMessage]
    private let condition = NSCondition()
    private var results: [(Int64, OutboxSender.Outcome)] = []
    private var pending: Int

    init(rows: [OutboxMessage]) {
        self.rows = rows
        pending = rows.count
    }

    /// A row's result; nil for a row skipped after a stop request.
    func done(_ result: (Int64, OutboxSender.Outcome)?) {
        condition.lock()
        if let result { results.append(result) }
        pending -= 1
        if pending == 0 { condition.broadcast() }
        condition.unlock()
    }

    /// Waits until every row has been handled or skipped; returns the results.
    func wait() -> [(Int64, OutboxSender.Outcome)] {
        condition.lock()
        defer { condition.unlock() }
        while pending > 0 { condition.wait() }
        return results
    }
}
