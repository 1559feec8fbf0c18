import Foundation

/// Payment reminders, in days after the due date (e.g. 1, 7, 14): reminder N is due from the first instant of
/// day `dueDate + days[N-1]` in the invoice's time zone, and is queued once per invoice.
public struct DunningSchedule: Sendable, Hashable {
    public let days: [Int]

    public init(days: [Int]) {
        self.days = days
    }

    /// The instant reminder `level` (1-based) falls due, or nil when there is no such reminder.
    public func instant(level: Int, dueDate: LocalDate, in zone: TimeZone) -> Date? {
        guard level >= 1, level <= days.count else { return nil }
        return dueDate.adding(days: days[level - 1]).startInstant(in: zone)
    }

    /// After downtime several reminders may be due at once: only the latest is sent (a customer gets one
    /// reminder, at the level the invoice has reached), and the ones passed over are reported for the history.
    public func due(after sentLevel: Int, dueDate: LocalDate, in zone: TimeZone, at now: Date)
        -> (send: Int, skipped: [Int])? {
        var reached = sentLevel
        while let instant = instant(level: reached + 1, dueDate: dueDate, in: zone), instant <= now {
            reached += 1
        }
        guard reached > sentLevel else { return nil }
        return (reached, Array((sentLevel + 1)..<reached))
    }
}
