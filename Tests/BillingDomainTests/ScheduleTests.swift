import Foundation
import Testing
@testable import BillingDomain

/// Calendar arithmetic of schedules: run k from the anchor and k, end conditions, and finding the next run.
@Suite struct ScheduleTests {
    typealias F = ScheduleFixtures

    private func dates(_ schedule: Schedule, _ count: Int) -> [String] {
        schedule.runs(from: 0, count: count).map { $0.local.date.description }
    }

    @Test func monthlyAnchoredOn31stRunsOnLastDayOfShortMonths() throws {
        let schedule = try F.schedule("2027-01-31T09:00:00", "Monthly", "Europe/Stockholm")
        #expect(dates(schedule, 14) == [
            "2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30", "2027-07-31",
            "2027-08-31", "2027-09-30", "2027-10-31", "2027-11-30", "2027-12-31", "2028-01-31", "2028-02-29",
        ])
        #expect(schedule.runs(from: 0, count: 14).allSatisfy { $0.local.time == F.local("2027-01-31T09:00:00").time })
    }

    @Test func monthlyAnchoredOn30thNeverDriftsAfterFebruary() throws {
        let schedule = try F.schedule("2027-01-30T09:00:00", "Monthly", "UTC")
        #expect(dates(schedule, 4) == ["2027-01-30", "2027-02-28", "2027-03-30", "2027-04-30"])
    }

    @Test func quarterlyAndHalfYearlyClampTheAnchorDayToEachMonth() throws {
        let quarterly = try F.schedule("2027-11-30T10:00:00", "Quarterly", "UTC")
        #expect(dates(quarterly, 4) == ["2027-11-30", "2028-02-29", "2028-05-30", "2028-08-30"])
        let halfYearly = try F.schedule("2027-08-31T10:00:00", "HalfYearly", "UTC")
        #expect(dates(halfYearly, 4) == ["2027-08-31", "2028-02-29", "2028-08-31", "2029-02-28"])
    }

    @Test func yearlyAnchoredOnFeb29RunsOnFeb28InCommonYears() throws {
        let schedule = try F.schedule("2024-02-29T08:00:00", "Yearly", "Europe/Stockholm")
        #expect(dates(schedule, 6) == ["2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29", "2029-02-28"])
        // Century rule: 2100 is not a leap year, 2400 is.
        #expect(schedule.localRun(76).date.description == "2100-02-28")
        #expect(schedule.localRun(376).date.description == "2400-02-29")
    }

    @Test func weeklyFortnightlyAndEveryNDaysAddCalendarDays() throws {
        #expect(dates(try F.schedule("2027-02-25T09:00:00", "Weekly", "UTC"), 3) == ["2027-02-25", "2027-03-04", "2027-03-11"])
        #expect(dates(try F.schedule("2028-02-22T09:00:00", "Biweekly", "UTC"), 3) == ["2028-02-22", "2028-03-07", "2028-03-21"])
        #expect(dates(try F.schedule("2027-12-30T09:00:00", "Every 3 Days", "UTC"), 3) == ["2027-12-30", "2028-01-02", "2028-01-05"])
        #expect(try F.schedule("2027-01-01T00:00:00", "Every 1000 Days", "UTC").localRun(1).date.description == "2029-09-27")
    }

    @Test func runIndexZeroIsTheAnchorItself() throws {
        let schedule = try F.schedule("2027-01-31T09:00:00", "Monthly", "Europe/Stockholm")
        let run = try #require(schedule.run(0))
        #expect(run.index == 0)
        #expect(run.local == F.local("2027-01-31T09:00:00"))
        #expect(run.instant == F.instant("2027-01-31T08:00:00Z"))
        #expect(run.utcOffsetSeconds == 3600)
        #expect(ISO8601.format(run) == "2027-01-31T09:00:00+01:00")
    }

    @Test func endDateIsTheLastLocalDateARunMayFallOnInclusive() throws {
        let through15th = try F.schedule("2027-01-15T09:00:00", "Monthly", "UTC", endDate: "2027-04-15")
        #expect(dates(through15th, 100) == ["2027-01-15", "2027-02-15", "2027-03-15", "2027-04-15"])
        #expect(through15th.run(4) == nil)
        #expect(through15th.run(40) == nil)
        let through14th = try F.schedule("2027-01-15T09:00:00", "Monthly", "UTC", endDate: "2027-04-14")
        #expect(dates(through14th, 100).count == 3)
        let beforeAnchor = try F.schedule("2027-01-15T09:00:00", "Monthly", "UTC", endDate: "2027-01-14")
        #expect(beforeAnchor.run(0) == nil)
    }

    @Test func maxRunsCountsTheAnchorAsTheFirstRun() throws {
        let three = try F.schedule("2027-01-15T09:00:00", "Weekly", "UTC", maxRuns: 3)
        #expect(three.run(2) != nil)
        #expect(three.run(3) == nil)
        #expect(dates(three, 10) == ["2027-01-15", "2027-01-22", "2027-01-29"])
        #expect(try F.schedule("2027-01-15T09:00:00", "Weekly", "UTC", maxRuns: 0).run(0) == nil)
    }

    @Test func theEarlierOfEndDateAndMaxRunsEndsTheSchedule() throws {
        let schedule = try F.schedule("2027-01-15T09:00:00", "Monthly", "UTC", endDate: "2027-12-31", maxRuns: 5)
        #expect(dates(schedule, 100).count == 5)
        let byDate = try F.schedule("2027-01-15T09:00:00", "Monthly", "UTC", endDate: "2027-02-28", maxRuns: 5)
        #expect(dates(byDate, 100).count == 2)
    }

    @Test func runsFromAnIndexStartsThereAndNegativeIndicesDoNotExist() throws {
        let schedule = try F.schedule("2027-01-31T09:00:00", "Monthly", "UTC", maxRuns: 6)
        #expect(schedule.runs(from: 4, count: 10).map(\.index) == [4, 5])
        #expect(schedule.runs(from: 1, count: 2).map { $0.local.date.description } == ["2027-02-28", "2027-03-31"])
        #expect(schedule.run(-1) == nil)
        #expect(schedule.runs(from: 0, count: 0).isEmpty)
    }

    @Test func firstRunIndexIsZeroBeforeTheAnchorAndFindsTheNextRunAfterIt() throws {
        let schedule = try F.schedule("2027-01-31T09:00:00", "Monthly", "Europe/Stockholm")
        #expect(schedule.firstRunIndex(atOrAfter: F.instant("2020-01-01T00:00:00Z")) == 0)
        #expect(schedule.firstRunIndex(atOrAfter: Date.distantPast) == 0)
        #expect(schedule.firstRunIndex(atOrAfter: F.instant("2027-01-31T08:00:00Z")) == 0)
        #expect(schedule.firstRunIndex(atOrAfter: F.instant("2027-01-31T08:00:01Z")) == 1)
        #expect(schedule.firstRunIndex(atOrAfter: F.instant("2027-02-28T07:59:59Z")) == 1)
        #expect(schedule.firstRunIndex(atOrAfter: F.instant("2027-02-28T08:00:00Z")) == 1)
        #expect(schedule.firstRunIndex(atOrAfter: F.instant("2027-03-01T00:00:00Z")) == 2)
        // Same calendar day, but before the run's time of day: still that day's run.
        #expect(schedule.firstRunIndex(atOrAfter: F.instant("2027-03-31T06:59:59Z")) == 2)
    }

    @Test func firstRunIndexHandlesTensOfThousandsOfRunsWithoutReplaying() throws {
        let daily = try F.schedule("1990-01-01T09:00:00", "Daily", "America/New_York")
        let run = try #require(daily.run(45_000))
        #expect(run.local.date.description == "2113-03-17")
        #expect(daily.firstRunIndex(atOrAfter: run.instant) == 45_000)
        #expect(daily.firstRunIndex(atOrAfter: run.instant.addingTimeInterval(1)) == 45_001)
        let monthly = try F.schedule("1990-01-31T09:00:00", "Monthly", "Australia/Sydney")
        let far = try #require(monthly.run(20_000))
        #expect(monthly.firstRunIndex(atOrAfter: far.instant) == 20_000)
        #expect(monthly.firstRunIndex(atOrAfter: far.instant.addingTimeInterval(-1)) == 20_000)
    }

    @Test func extremeInstantsAndIndicesDoNotTrap() throws {
        let schedule = try F.schedule("2027-01-31T09:00:00", "Every 1000 Days", "Europe/Stockholm")
        #expect(schedule.firstRunIndex(atOrAfter: Date.distantFuture) > 0)
        #expect(schedule.firstRunIndex(atOrAfter: Date(timeIntervalSince1970: .infinity)) > 0)
        #expect(schedule.firstRunIndex(atOrAfter: Date(timeIntervalSince1970: -.infinity)) == 0)
        #expect(ISO8601.formatUTC(Date(timeIntervalSince1970: .nan)) == "1970-01-01T00:00:00Z")
        #expect(schedule.localRun(Int.max).date.year > 9999)
        #expect(schedule.localRun(Int.min).date.year < 0)
    }
}
