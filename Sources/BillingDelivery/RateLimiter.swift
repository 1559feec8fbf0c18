import Foundation
import Synchronization

/// Paces one channel to at most `perSecond` messages per second across every sender thread, as gateways and
/// relays count them: a message waits for its slot instead of being refused with a 429 and retried later.
public final class RateLimiter: Sendable {
    private let interval: TimeInterval
    private let nextSlot = Mutex(Date.distantPast)

    /// nil or 0 means no limit.
    public init(perSecond: Int?) {
        interval = (perSecond ?? 0) > 0 ? 1.0 / Double(perSecond!) : 0
    }

    /// Blocks until this caller's slot. Slots are handed out in call order, so the wait is bounded by the number
    /// of callers ahead (at most the drain's concurrency) times the interval.
    public func acquire() {
        guard interval > 0 else { return }
        let now = Date()
        let slot = nextSlot.withLock { next in
            let slot = max(now, next)
            next = slot.addingTimeInterval(interval)
            return slot
        }
        let wait = slot.timeIntervalSince(now)
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
    }
}
