import Foundation
import TestSupport
import Testing
@testable import BillingDomain

@Suite struct LocalDateTests {
    @Test func daysSinceEpochMatchesKnownDays() {
        let known: [(String, Int)] = [
            ("1970-01-01", 0), ("1969-12-31", -1), ("2000-03-01", 11_017), ("2027-01-31", 20_849),
            ("0001-01-01", -719_162), ("9999-12-31", 2_932_896), ("1900-03-01", -25_508),
        ]
        for (text, days) in known {
            let date = ScheduleFixtures.date(text)
            #expect(date.daysSinceEpoch == days, "\(text)")
            #expect(LocalDate(daysSinceEpoch: days) == date, "\(days)")
        }
    }

    @Test func civilFromDaysRoundTripsEveryDayOfTheSupportedRange() {
        var previous = LocalDate(daysSinceEpoch: -719_163)
        for days in -719_162...2_932_896 {
            let date = LocalDate(daysSinceEpoch: days)
            // Plain checks in the loop: 3.6 million `#expect`s would dominate the test run.
            if date.daysSinceEpoch != days { Issue.record("\(date) round-trips to \(date.daysSinceEpoch)"); return }
            // Consecutive days are consecutive calendar dates: either the next day or the first of a new month.
            let next = date.day == 1
                ? previous.day == LocalDate.daysIn(year: previous.year, month: previous.month)
                : date.day == previous.day + 1 && date.month == previous.month
            if !next { Issue.record("\(previous) is followed by \(date)"); return }
            previous = date
        }
    }

    @Test func agreesWithFoundationsGregorianCalendarSinceItsReform() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = ScheduleFixtures.zone("UTC")
        var random = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let days = random.int(in: -100_000...1_000_000)   // 1696 … 4707, after the 1582 reform
            let parts = calendar.dateComponents([.year, .month, .day],
                                                from: Date(timeIntervalSince1970: TimeInterval(days) * 86_400))
            let date = LocalDate(daysSinceEpoch: days)
            #expect([date.year, date.month, date.day] == [parts.year, parts.month, parts.day])
        }
    }

    @Test func validatesMonthAndDayIncludingLeapYears() {
        #expect(LocalDate(year: 2028, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 2000, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 2027, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 1900, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2027, month: 4, day: 31) == nil)
        #expect(LocalDate(year: 2027, month: 13, day: 1) == nil)
        #expect(LocalDate(year: 2027, month: 0, day: 1) == nil)
        #expect(LocalDate(year: 2027, month: 1, day: 0) == nil)
        #expect(LocalDate(year: 0, month: 1, day: 1) == nil)
        #expect(LocalDate(year: 10_000, month: 1, day: 1) == nil)
        #expect([1900, 2000, 2024, 2027].map { LocalDate.daysIn(year: $0, month: 2) } == [28, 29, 29, 28])
        #expect((1...12).map { LocalDate.daysIn(year: 2027, month: $0) } == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    }

    @Test func isoFormIsStrictYYYYMMDD() {
        #expect(LocalDate(iso: "2027-01-31")?.description == "2027-01-31")
        #expect(LocalDate(iso: "0099-01-05")?.description == "0099-01-05")
        for bad in ["", "2027-1-31", "2027-01-31T00:00", " 2027-01-31", "2027/01/31", "27-01-31", "2027-02-29",
                    "+027-01-31", "２０２７-01-31", "2027-01-3x"] {
            #expect(LocalDate(iso: bad) == nil, "\(bad)")
        }
    }

    @Test func addingMonthsClampsToTheTargetMonthsLength() {
        let jan31 = ScheduleFixtures.date("2027-01-31")
        #expect(jan31.adding(months: 1).description == "2027-02-28")
        #expect(jan31.adding(months: 13).description == "2028-02-29")
        #expect(jan31.adding(months: 3).description == "2027-04-30")
        #expect(jan31.adding(months: -2).description == "2026-11-30")
        #expect(jan31.adding(months: -25).description == "2024-12-31")
        #expect(ScheduleFixtures.date("2028-02-29").adding(months: 12).description == "2029-02-28")
    }

    @Test func addingDaysCrossesMonthsYearsAndLeapDays() {
        #expect(ScheduleFixtures.date("2027-12-31").adding(days: 1).description == "2028-01-01")
        #expect(ScheduleFixtures.date("2028-02-28").adding(days: 1).description == "2028-02-29")
        #expect(ScheduleFixtures.date("2028-03-01").adding(days: -1).description == "2028-02-29")
        #expect(ScheduleFixtures.date("2027-01-31").adding(days: 365).description == "2028-01-31")
    }

    @Test func ordersChronologically() {
        let dates = ["2027-01-31", "2026-12-31", "2027-02-01", "2027-01-30"].map(ScheduleFixtures.date)
        #expect(dates.sorted().map(\.description) == ["2026-12-31", "2027-01-30", "2027-01-31", "2027-02-01"])
        #expect(ScheduleFixtures.local("2027-01-31T09:00:00") < ScheduleFixtures.local("2027-01-31T09:00:01"))
        #expect(ScheduleFixtures.local("2027-01-30T23:59:59") < ScheduleFixtures.local("2027-01-31T00:00:00"))
    }

    @Test func isoWeekdayCountsFromMonday() {
        #expect(ScheduleFixtures.date("1970-01-01").isoWeekday == 4)
        #expect(ScheduleFixtures.date("2027-03-28").isoWeekday == 7)
        #expect(ScheduleFixtures.date("1969-12-29").isoWeekday == 1)
    }
}
