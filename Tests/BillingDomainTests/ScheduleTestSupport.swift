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

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast and fully determined by its seed, so a failing property
/// case is reproduced by its seed alone. Ranges are drawn with our own arithmetic, not `Int.random(in:using:)`,
/// whose algorithm the standard library does not promise to keep.
struct ScheduleSplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform enough for tests (modulo bias is below 2^-40 for these small ranges).
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[int(in: 0...(items.count - 1))] }

    mutating func chance(_ percent: Int) -> Bool { int(in: 1...100) <= percent }
}
