import Foundation
import NIOPosix
import ServiceLifecycle

/// The outbox drain as a service of its own: it drains when messages are due and otherwise sleeps until the next
/// attempt or lease expiry (`BillingStorage.nextOutboxWakeAt`). No polling: it wakes early when a job or a control
/// request queued messages or made them due (`onChange(of: .outbox)`: the scheduler's cycle, a resend, a retry, a
/// reload), or to stop.
///
/// Its blocking work runs on `pool` (the daemon gives it the cycles' thread); the drains themselves are serialised
/// with the other jobs (and with `billingctl drain`) by the engine's job lock. A drain that fails on the database raises the `drain`
/// fault and is retried after 1, 2, 4 … 60 s; a failing channel is that channel's fault and follows the outbox
/// retry policy.
public struct OutboxDrainService: Service {
    private let engine: BillingEngine
    private let pool: NIOThreadPool
    /// Told a one-line summary after each drain and each change of the drain's fault (systemd STATUS=).
    private let status: @Sendable (String) -> Void

    public init(engine: BillingEngine, pool: NIOThreadPool, status: @escaping @Sendable (String) -> Void = { _ in }) {
        self.engine = engine
        self.pool = pool
        self.status = status
    }

    /// Drains until graceful shutdown or cancellation. A drain in progress then stops between messages: the ones
    /// being sent finish and are recorded, the rest of the claimed batch is handed back (`DrainControl`), and
    /// `run()` returns.
    public func run() async throws {
        try await JobLoop.run(on: .outbox, of: engine, pool: pool, status: status,
                              stop: { [engine] in engine.drainControl.requestStop() }) { [engine] in
            Self.step(engine, failuresBefore: $0)
        }
    }

    /// One wake, on a pool thread: a drain if a message is due, then when to wake next. The summary is nil when
    /// nothing was drained and the drain's fault did not change. A failed drain is retried after 1, 2, 4 … 60 s
    /// while the fault lasts.
    private static func step(_ engine: BillingEngine, failuresBefore: Int) -> JobStep {
        do {
            var drained = false
            if let due = try engine.store.nextOutboxWakeAt(), due <= engine.clock.nowSeconds() {
                try engine.drainOutbox()
                drained = true
            }
            let next = try engine.store.nextOutboxWakeAt().map { Date(timeIntervalSince1970: TimeInterval($0)) }
            let cleared = engine.recordSuccess(scope: Fault.drainScope)
            return JobStep(summary: drained || cleared ? engine.statusLine() : nil, next: next, failures: 0)
        } catch {
            let failures = failuresBefore + 1
            let retryAt = engine.recordJobFailure(error, scope: Fault.drainScope, failures: failures)
            return JobStep(summary: engine.statusLine(), next: retryAt, failures: failures)
        }
    }
}
