import BillingDomain
import Foundation
import Logging

/// Sleeps until the earliest thing that is due, then runs the jobs. No polling: it wakes at the next template
/// run or outbox attempt, when a control request or a configuration reload changes what is due (`wake()`), or to stop.
public final class Scheduler: @unchecked Sendable {
    private let engine: BillingEngine
    private let condition = NSCondition()
    private var woken = false
    private var stopping = false
    private var running = false
    private var finished = false
    private var _nextWake: Date?
    /// Told a one-line summary after each cycle (systemd STATUS=).
    private let status: @Sendable (String) -> Void

    public init(engine: BillingEngine, status: @escaping @Sendable (String) -> Void = { _ in }) {
        self.engine = engine
        self.status = status
    }

    public func start() {
        engine.onChange { [weak self] in self?.wake() }
        Thread.detachNewThread { [self] in loop() }
    }

    public func wake() {
        condition.lock()
        woken = true
        condition.signal()
        condition.unlock()
    }

    /// Stops after the job in flight (its transaction finishes; nothing is left half-done).
    public func stop() {
        engine.drainControl.requestStop()
        condition.lock()
        stopping = true
        condition.broadcast()
        while running || !finished { condition.wait(until: Date().addingTimeInterval(1)) }
        condition.unlock()
    }

    public var nextWake: Date? {
        condition.lock()
        defer { condition.unlock() }
        return _nextWake
    }

    private func loop() {
        defer {
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        // Consecutive failed cycles: the retry waits 1, 2, 4 … 60 s (FaultBackoff) while the fault lasts.
        var failures = 0
        while true {
            condition.lock()
            if stopping { condition.unlock(); return }
            running = true
            condition.unlock()

            let summary: String
            let next: Date?
            do {
                let report = try engine.runCycle()
                failures = 0
                engine.recordSuccess()
                next = planNextWake()
                summary = engine.statusLine(lastCycle: report)
            } catch {
                failures += 1
                let retryAt = engine.clock.now().addingTimeInterval(
                    TimeInterval(FaultBackoff.seconds(afterFailures: failures)))
                engine.recordFailure(error, retryAt: retryAt)
                next = retryAt
                summary = engine.statusLine(nextWake: retryAt)
            }
            status(summary)

            condition.lock()
            running = false
            _nextWake = next
            if !woken && !stopping {
                // Sleep in real seconds until the next due instant of the (possibly simulated) clock.
                let seconds = next.map { $0.timeIntervalSince(engine.clock.now()) } ?? 86_400
                if seconds > 0 { condition.wait(until: Date().addingTimeInterval(min(seconds, 86_400))) }
            }
            woken = false
            condition.unlock()
        }
    }

    /// The earliest instant anything becomes due (`Store.nextWakeAt`: template runs, past-due boundaries,
    /// reminders, outbox attempts and leases). Work queued by a control command wakes the scheduler through `wake()`.
    private func planNextWake() -> Date? {
        guard let next = (try? engine.store.nextWakeAt()) ?? nil else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(next))
    }
}
