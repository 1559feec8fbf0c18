@testable import BillingEngine
import Foundation
import ServiceLifecycleTestKit
import Testing

@Suite("Scheduler: wakes and graceful shutdown", .timeLimit(.minutes(5)))
struct SchedulerShutdownTests {
    /// Nothing is scheduled after the first cycle, so the scheduler sleeps for a day: the shutdown must end the sleep.
    @Test func aGracefulShutdownEndsTheSleepAndTheSchedulerReturns() async throws {
        let fixture = try EngineFixture()
        let engine = try fixture.engine(at: "2027-01-31T09:00:00+01:00")
        try await withScheduler(engine) { trigger, statuses in
            _ = await statuses.next()
            let asked = ContinuousClock.now
            trigger.triggerGracefulShutdown()
            return asked
        }
    }

    @Test func aChangeOfWhatIsDueWakesTheSchedulerForAnotherCycle() async throws {
        let fixture = try EngineFixture()
        let engine = try fixture.engine(at: "2027-01-31T09:00:00+01:00")
        try await withScheduler(engine) { trigger, statuses in
            _ = await statuses.next()
            engine.replaceConfiguration(engine.configuration)
            let second = await statuses.next()
            #expect(second != nil, "the change ran a second cycle")
            let asked = ContinuousClock.now
            trigger.triggerGracefulShutdown()
            return asked
        }
    }

    /// A scheduler under `runUntilShutdown`.
    private func withScheduler(
        _ engine: BillingEngine,
        _ body: @escaping (GracefulShutdownTestTrigger, inout AsyncStream<String>.Iterator) async -> ContinuousClock.Instant
    ) async throws {
        try await runUntilShutdown({ Scheduler(engine: engine, pool: $0, status: $1) }) { await body($0, &$1) }
    }
}
