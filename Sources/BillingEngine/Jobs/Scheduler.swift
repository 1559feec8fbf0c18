import BillingDomain
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle

/// Sleeps until the earliest thing that is due, then runs the jobs. No polling: it wakes at the next template
/// run or outbox attempt, when a control request or a configuration reload changes what is due (`onChange`), or to
/// stop.
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

    /// Runs cycles until graceful shutdown or cancellation. Returns once the cycle in flight has finished: its
    /// transactions committed, the outbox drain stopped after the messages being sent (nothing is left half-done).
    public func run() async throws {
        var wakes = JobWakes()
        let wake = wakes.wake
        let observer = engine.onChange { wake() }
        defer {
            engine.removeChangeObserver(observer)
            wakes.finish()
        }
        // Consecutive failed cycles: the retry waits 1, 2, 4 … 60 s (FaultBackoff) while the fault lasts.
        var failures = 0
        whenStarted()
        try await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let step = try await pool.runIfActive { [engine, failures] in Self.cycle(engine, failuresBefore: failures) }
                failures = step.failures
                status(step.summary)
                if Task.isShuttingDownGracefully { return }
                await wakes.sleep(until: step.next, clock: engine.clock)
            }
        } onGracefulShutdown: { [engine] in
            engine.drainControl.requestStop()
            wake()
        }
    }

    /// One cycle and what follows from it, on a pool thread.
    private static func cycle(_ engine: BillingEngine, failuresBefore: Int) -> (summary: String, next: Date?, failures: Int) {
        do {
            let report = try engine.runCycle()
            engine.recordSuccess()
            return (engine.statusLine(lastCycle: report), planNextWake(engine), 0)
        } catch {
            let failures = failuresBefore + 1
            let retryAt = engine.clock.now().addingTimeInterval(TimeInterval(FaultBackoff.seconds(afterFailures: failures)))
            engine.recordFailure(error, retryAt: retryAt)
            return (engine.statusLine(nextWake: retryAt), retryAt, failures)
        }
    }

    /// The earliest instant anything becomes due (template runs, past-due boundaries, reminders, outbox attempts
    /// and leases). Work queued by a control command wakes the scheduler through `onChange`.
    private static func planNextWake(_ engine: BillingEngine) -> Date? {
        let billing = (try? engine.store.nextBillingWakeAt()) ?? nil
        let outbox = (try? engine.store.nextOutboxWakeAt()) ?? nil
        guard let next = [billing, outbox].compactMap({ $0 }).min() else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(next))
    }
}
