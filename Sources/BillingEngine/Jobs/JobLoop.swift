import Foundation
import NIOPosix
import ServiceLifecycle

/// What one run of a job service's work answers: the STATUS= line to tell (nil: nothing worth telling), when to
/// run next, and the failures in a row so far (0 after a success).
struct JobStep: Sendable {
    var summary: String?
    var next: Date?
    var failures: Int
}

/// The life of a job service (the scheduler, the outbox drain): no polling, no thread held while it waits.
enum JobLoop {
    /// Runs `step` on `pool` (its blocking work stays off the cooperative pool), tells its summary to `status`, and
    /// sleeps until the instant it answers, a change of `work` in `engine` or the stop; until graceful shutdown or
    /// cancellation. `stop` is called then, while the step in flight runs on; the loop returns once that step has
    /// finished, without telling its summary (STATUS= says "stopping" by then). `step` is given the failures in a
    /// row before it, for its retry's backoff (`FaultBackoff`).
    static func run(
        on work: DueWork, of engine: BillingEngine, pool: NIOThreadPool,
        status: @escaping @Sendable (String) -> Void, stop: @escaping @Sendable () -> Void = {},
        step: @escaping @Sendable (_ failuresBefore: Int) -> JobStep
    ) async throws {
        var wakes = JobWakes(on: work, of: engine)
        defer { wakes.finish() }
        let wake = wakes.wake
        let stopping: @Sendable () -> Void = {
            stop()
            wake()
        }
        var failures = 0
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    let done = try await pool.runIfActive { [failures] in step(failures) }
                    failures = done.failures
                    if Task.isShuttingDownGracefully || Task.isCancelled { return }
                    if let summary = done.summary { status(summary) }
                    await wakes.sleep(until: done.next, clock: engine.clock)
                }
            } onGracefulShutdown: {
                stopping()
            }
        } onCancel: {
            stopping()
        }
    }
}

/// How a job service waits between runs: until the next due instant of the engine's clock, or until a change of its
/// kind of work (`onChange(of:)`) or `wake` (the stop) ends the sleep early. A wake that comes while the job runs is
/// kept, so the sleep after it ends at once.
private struct JobWakes {
    private let engine: BillingEngine
    private let continuation: AsyncStream<Void>.Continuation
    private var iterator: AsyncStream<Void>.Iterator
    private let observer: ChangeObserver

    /// Wakes at each change of `work` in `engine` until `finish()`.
    init(on work: DueWork, of engine: BillingEngine) {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.engine = engine
        self.continuation = continuation
        iterator = stream.makeAsyncIterator()
        observer = engine.onChange(of: work) { continuation.yield() }
    }

    /// Ends the sleep in progress, or the next one; callable from any thread.
    var wake: @Sendable () -> Void {
        { [continuation] in continuation.yield() }
    }

    func finish() {
        engine.removeChangeObserver(observer)
        continuation.finish()
    }

    /// Sleeps in real seconds until `next` on `clock` (which may be simulated), a day at most when nothing is due,
    /// or until a wake. Returns at once when `next` has passed.
    mutating func sleep(until next: Date?, clock: BillingClock) async {
        let seconds = next.map { $0.timeIntervalSince(clock.now()) } ?? 86_400
        guard seconds > 0 else { return }
        let timer = Task { [continuation] in
            guard (try? await Task.sleep(for: .seconds(min(seconds, 86_400)))) != nil else { return }
            continuation.yield()
        }
        _ = await iterator.next()
        timer.cancel()
    }
}
