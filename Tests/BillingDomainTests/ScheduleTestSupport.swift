import Foundation
import Testing
@testable import BillingDomain

/// Shared fixtures for the schedule tests, namespaced so they cannot collide with other suites' helpers.
enum ScheduleFixtures {
    static func zone(_ identifier: String) -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else { fatalError("tzdata lacks \(identifier)") }
        return zone
    }

    /// `2027-01-31T09:00:00` (or a date alone) as a LocalDateTime; the zone is irrelevant without an offset.
    static func local(_ text: String) -> LocalDateTime {
        do { return try LocalDateTime.parse(text, in: zone("UTC")) } catch { fatalError("bad fixture \(text)") }
    }

    static func date(_ text: String) -> LocalDate {
        guard let date = LocalDate(iso: text) else { fatalError("bad fixture \(text)") }
        return date
    }

    /// An instant written as ISO 8601 with an offset, e.g. `2027-03-28T01:30:00Z`.
    static func instant(_ text: String) -> Date {
        let local = Self.local(text)   // offsets are converted to UTC wall time by parsing in UTC
        return Date(timeIntervalSince1970: TimeInterval(local.secondsSinceEpochAsUTC))
    }

    static func schedule(_ anchor: String, _ repeatVery: String, _ zoneName: String,
                         endDate: String? = nil, maxRuns: Int? = nil) throws -> Schedule {
        Schedule(anchor: local(anchor), recurrence: try Recurrence.parse(repeatVery), timeZone: zone(zoneName),
                 endDate: endDate.map(date), maxRuns: maxRuns)
    }
}

