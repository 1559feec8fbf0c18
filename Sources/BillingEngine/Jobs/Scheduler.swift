import BillingDomain
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle

/// Sleeps until billing work is due, then runs the billing cycle (the recurring run and the past-due sweep; the
/// messages they queue are `OutboxDrainService`'s). No polling: it wakes at the next template run, past-due instant
/// or reminder, when a control request or a configuration reload changes billing work (`onChange(of: .billing)`),
/// or to stop.
///
/// The cycles run on `pool` (blocking SQLite work stays off the cooperative pool); the waiting between them is a
/// task that costs no thread.
public struct Scheduler: Service {
    private let engine: BillingEngine
    private let pool: NIOThreadPool
    /// Told when the scheduler starts, before its first cycle (the daemon announces readiness then).
    private let whenStarted: @Sendable () -> Void
    /// Told a one-line summary after each cycle (systemd STATUS=).
    private let status: @Sendable (String) -> Void

    public init(engine: BillingEngine, pool: NIOThreadPool, whenStarted: @escaping @Sendable () -> Void = {},
                status: @escaping @Sendable (String) -> Void = { _ in }) {
        self.engine = engine
        self.pool = pool
        self.whenStarted = whenStarted
        self.status = status
    }

    /// Runs cycles until graceful shutdown or cancellation. Returns once the cycle in flight has finished, its
    /// transactions committed (nothing is left half-done).
    public func run() async throws {
        whenStarted()
        try await JobLoop.run(on: .billing, of: engine, pool: pool, status: status) { [engine] in
            Self.cycle(engine, failuresBefore: $0)
        }
    }

    /// One cycle and what follows from it, on a pool thread. A failed cycle is retried after 1, 2, 4 … 60 s while
    /// the fault lasts.
    private static func cycle(_ engine: BillingEngine, failuresBefore: Int) -> JobStep {
        do {
            let report = try engine.runBillingCycle()
            // A next wake that cannot be read is a failed cycle, retried soon, not a day's sleep.
            let next = try planNextWake(engine)
            engine.recordSuccess()
            return JobStep(summary: engine.statusLine(lastCycle: report), next: next, failures: 0)
        } catch {
            let failures = failuresBefore + 1
            let retryAt = engine.recordJobFailure(error, scope: Fault.cycleScope, failures: failures)
            return JobStep(summary: engine.statusLine(), next: retryAt, failures: failures)
        }
    }

    /// The earliest instant billing work becomes due (template runs, past-due boundaries, reminders). Work a
    /// control command changes wakes the scheduler through `onChange`.
    private static func planNextWake(_ engine: BillingEngine) throws -> Date? {
        try engine.store.nextBillingWakeAt().map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }
}
