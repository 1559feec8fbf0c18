/// A date and wall-clock time in some time zone that is not part of the value: a template's RunDate, a scheduled
/// run as the customer's calendar shows it. Turning it into an instant is `ZoneResolution`'s job, because that is
/// where DST gaps and overlaps have to be decided, once, by one rule.
public struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let date: LocalDate
    public let time: LocalTime

    public init(date: LocalDate, time: LocalTime) {
        self.date = date
        self.time = time
    }

    /// Validated components; nil if any is out of range.
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        guard let date = LocalDate(year: year, month: month, day: day),
              let time = LocalTime(hour: hour, minute: minute, second: second)
        else { return nil }
        self.init(date: date, time: time)
    }

    /// Seconds since 1970-01-01T00:00:00 of the same wall clock, i.e. the instant this would be if the zone were
    /// UTC. Subtracting a UTC offset from it gives a real instant.
    public var secondsSinceEpochAsUTC: Int {
        date.daysSinceEpoch * 86_400 + time.secondsSinceMidnight
    }

    /// The inverse of `secondsSinceEpochAsUTC` (floor division, so instants before 1970 land on the right day).
    public init(secondsSinceEpochAsUTC seconds: Int) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        self.init(date: LocalDate(daysSinceEpoch: days),
                  time: LocalTime(secondsSinceMidnight: seconds - days * 86_400))
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.date, lhs.time) < (rhs.date, rhs.time)
    }

    /// `YYYY-MM-DDTHH:MM:SS`, the form the import documents and the database use.
    public var description: String { "\(date)T\(time)" }
}
