import Foundation

/// How a job service waits between runs without polling and without holding a thread: until the next due instant
/// of the engine's clock, or until `wake` (a change of what is due, the shutdown) ends the sleep early. A wake that
/// comes while the job runs is kept, so the sleep after it ends at once.
struct JobWakes {
    private let continuation: AsyncStream<Void>.Continuation
    private var iterator: AsyncStream<Void>.Iterator

    init() {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.continuation = continuation
        iterator = stream.makeAsyncIterator()
    }

    /// Ends the sleep in progress, or the next one; callable from any thread.
    var wake: @Sendable () -> Void {
        { [continuation] in continuation.yield() }
    }

    func finish() {
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
