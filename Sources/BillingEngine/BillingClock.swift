import Foundation

/// The daemon's notion of "now". Production reads the system clock; `--now` starts a simulated clock at a
/// given instant that then advances in real time, so replays and tests see time move as it would.
public struct BillingClock: Sendable {
    private let offset: TimeInterval

    public static let system = BillingClock(offset: 0)

    /// A clock that reads `start` at the moment it is created.
    public static func simulated(startingAt start: Date) -> BillingClock {
        BillingClock(offset: start.timeIntervalSinceNow)
    }

    public func now() -> Date { Date().addingTimeInterval(offset) }

    public func nowSeconds() -> Int64 { Int64(now().timeIntervalSince1970.rounded(.down)) }
}
