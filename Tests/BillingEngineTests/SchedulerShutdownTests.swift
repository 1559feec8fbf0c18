@testable import BillingEngine
import Foundation
import NIOPosix
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

@Suite("Scheduler: wakes and graceful shutdown")
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

    /// Runs a scheduler on a thread of its own under the test kit's graceful shutdown; `body` reads the STATUS lines
    /// and triggers the shutdown, and the scheduler must return within 5 s of it.
    private func withScheduler(
        _ engine: BillingEngine,
        _ body: @escaping (GracefulShutdownTestTrigger, inout AsyncStream<String>.Iterator) async -> ContinuousClock.Instant
    ) async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let (stream, statuses) = AsyncStream.makeStream(of: String.self)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await Scheduler(engine: engine, pool: pool, status: { statuses.yield($0) }).run()
                }
                var iterator = stream.makeAsyncIterator()
                let asked = await body(trigger, &iterator)
                try await group.next()
                #expect(ContinuousClock.now - asked < .seconds(5), "the scheduler returned promptly after the shutdown")
            }
        }
        try await pool.shutdownGracefully()
    }
}
