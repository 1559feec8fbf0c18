import BillingStore
import Foundation
import NIOPosix
import Synchronization

/// The drain's sender threads: a pool of `outbox.concurrency` threads for the whole drain, taking messages from
/// every submitted batch in order. SMTP connections are kept between messages (one per sender at most).
///
/// Threads, not `DispatchQueue.concurrentPerform`: that runs at most one iteration per core, so on a 2-core
/// machine 2 senders sent while 2 configured connections stayed unused, and a sender blocked on a reply left its
/// core idle instead of letting another render.
final class OutboxSenderThreads: Sendable {
    private let pool: NIOThreadPool
    private let stop: DrainControl
    private let deliver: @Sendable (OutboxMessage) -> (Int64, OutboxSender.Outcome)

    init(count: Int, stop: DrainControl, deliver: @escaping @Sendable (OutboxMessage) -> (Int64, OutboxSender.Outcome)) {
        pool = NIOThreadPool(numberOfThreads: count)
        self.stop = stop
        self.deliver = deliver
        pool.start()
    }

    /// Queues `rows` for the senders; the batch tells when every row has been handled or skipped.
    func submit(_ rows: [OutboxMessage]) -> OutboxBatch {
        let batch = OutboxBatch(rows: rows)
        for row in rows {
            pool.submit { [stop, deliver] state in
                // After a stop request the rest of the batch is left alone and handed back by the drain.
                let active = state == .active && !stop.stopRequested
                batch.done(active ? deliver(row) : nil)
            }
        }
        return batch
    }

    /// Lets the threads end once the queue is empty, and waits for them.
    func finish() {
        try? pool.syncShutdownGracefully()
    }
}

/// One claimed batch on its way through the senders: their results, and a wait for the last of them.
final class OutboxBatch: Sendable {
    let rows: [OutboxMessage]
    private let results = Mutex<[(Int64, OutboxSender.Outcome)]>([])
    private let pending = DispatchGroup()

    init(rows: [OutboxMessage]) {
        self.rows = rows
        for _ in rows { pending.enter() }
    }

    /// A row's result; nil for a row skipped after a stop request.
    func done(_ result: (Int64, OutboxSender.Outcome)?) {
        if let result { results.withLock { $0.append(result) } }
        pending.leave()
    }

    /// Waits until every row has been handled or skipped; returns the results.
    func wait() -> [(Int64, OutboxSender.Outcome)] {
        pending.wait()
        return results.withLock { $0 }
    }
}
