/// When a message that failed is tried again, and when the outbox gives up on it.
///
/// Backoff doubles per attempt from `baseSeconds` up to `maxSeconds`, and half of each delay is random
/// ("equal jitter"): after an outage every queued message failed at about the same moment, and without jitter they
/// would all hit the recovering server again in the same second.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseSeconds: Int
    public var maxSeconds: Int

    public init(maxAttempts: Int, baseSeconds: Int, maxSeconds: Int) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseSeconds = max(1, baseSeconds)
        self.maxSeconds = max(self.baseSeconds, maxSeconds)
    }

    public enum Decision: Sendable, Equatable {
        /// Pending again, due at this instant (Unix seconds).
        case retry(at: Int64)
        /// A permanent failure: the receiver refused the message; sending it again would fail the same way.
        case failed
        /// Transient failures used up every attempt.
        case dead
    }

    /// The delay after `attempt` failed attempts (1-based); `jitter` is a random number in 0..<1.
    public func delay(afterAttempt attempt: Int, jitter: Double) -> Int64 {
        let doublings = min(max(0, attempt - 1), 40)
        let exponential = min(Double(maxSeconds), Double(baseSeconds) * Double(1 << Int64(doublings)))
        let half = exponential / 2
        return max(1, Int64((half + half * min(max(jitter, 0), 1)).rounded(.down)))
    }

    /// What happens to a message after its `attempt`-th attempt failed at `now`.
    ///
    /// A server's Retry-After is honoured as given (it knows its own rate limit better than our backoff does),
    /// but it never buys an attempt beyond `maxAttempts`.
    public func decide(attempt: Int, failure: DeliveryFailure, now: Int64, jitter: Double) -> Decision {
        if failure.permanent { return .failed }
        if attempt >= maxAttempts { return .dead }
        if let retryAfter = failure.retryAfterSeconds {
            return .retry(at: now + Int64(max(1, retryAfter)))
        }
        return .retry(at: now + delay(afterAttempt: attempt, jitter: jitter))
    }
}
