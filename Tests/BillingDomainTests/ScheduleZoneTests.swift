import Foundation
import Testing
@testable import BillingDomain

/// Time-zone resolution of schedules: DST gaps move forward by the gap, overlaps take the first instant, in both
/// hemispheres and in zones with unusual offsets.
@Suite struct ScheduleZoneTests {
    typealias F = ScheduleFixtures

    private func resolve(_ local: String, _ zone: String) -> (utc: String, offset: Int) {
        let (instant, offset) = ZoneResolution.instant(for: F.local(local), in: F.zone(zone))
        return (ISO8601.formatUTC(instant), offset)
    }

    @Test func localTimeInDSTGapMovesForwardByTheGap() {
        #expect(resolve("2027-03-28T02:30:00", "Europe/Stockholm") == ("2027-03-28T01:30:00Z", 7200))
        #expect(resolve("2027-03-28T02:00:00", "Europe/Stockholm") == ("2027-03-28T01:00:00Z", 7200))
        #expect(resolve("2027-03-28T03:00:00", "Europe/Stockholm") == ("2027-03-28T01:00:00Z", 7200))
        #expect(resolve("2027-03-28T01:59:59", "Europe/Stockholm") == ("2027-03-28T00:59:59Z", 3600))
        #expect(resolve("2027-03-14T02:30:00", "America/New_York") == ("2027-03-14T07:30:00Z", -14_400))
    }

    @Test func ambiguousLocalTimeTakesFirstInstant() {
        #expect(resolve("2027-10-31T02:30:00", "Europe/Stockholm") == ("2027-10-31T00:30:00Z", 7200))
        #expect(resolve("2027-10-31T02:00:00", "Europe/Stockholm") == ("2027-10-31T00:00:00Z", 7200))
        #expect(resolve("2027-10-31T03:00:00", "Europe/Stockholm") == ("2027-10-31T02:00:00Z", 3600))
        #expect(resolve("2027-11-07T01:30:00", "America/New_York") == ("2027-11-07T05:30:00Z", -14_400))
    }

    @Test func southernHemisphereGapsAndOverlapsFallInOctoberSeptemberAndApril() {
        #expect(resolve("2027-10-03T02:30:00", "Australia/Sydney") == ("2027-10-02T16:30:00Z", 39_600))
        #expect(resolve("2027-04-04T02:30:00", "Australia/Sydney") == ("2027-04-03T15:30:00Z", 39_600))
        #expect(resolve("2027-09-26T02:30:00", "Pacific/Auckland") == ("2027-09-25T14:30:00Z", 46_800))
        #expect(resolve("2027-04-04T02:30:00", "Pacific/Auckland") == ("2027-04-03T13:30:00Z", 46_800))
    }

    @Test func halfHourAndQuarterHourZonesResolveExactly() {
        #expect(resolve("2027-01-31T09:00:00", "Asia/Kathmandu") == ("2027-01-31T03:15:00Z", 20_700))
        // Lord Howe moves its clock by 30 minutes: 02:15 does not exist and becomes 02:45.
        #expect(resolve("2027-10-03T02:15:00", "Australia/Lord_Howe") == ("2027-10-02T15:45:00Z", 39_600))
    }

    @Test func localOfInstantIsTheWallClockAndRoundTrips() {
        let stockholm = F.zone("Europe/Stockholm")
        #expect(ZoneResolution.local(of: F.instant("2027-10-31T00:30:00Z"), in: stockholm).description == "2027-10-31T02:30:00")
        #expect(ZoneResolution.local(of: F.instant("2027-10-31T01:30:00Z"), in: stockholm).description == "2027-10-31T02:30:00")
        #expect(ZoneResolution.local(of: F.instant("1969-12-31T23:59:59Z"), in: F.zone("UTC")).description == "1969-12-31T23:59:59")
        let fraction = F.instant("2027-01-31T08:00:00Z").addingTimeInterval(0.75)
        #expect(ZoneResolution.local(of: fraction, in: stockholm).description == "2027-01-31T09:00:00")
    }

    @Test func everyNDaysKeepsWallClockAcrossDST() throws {
        let schedule = try F.schedule("2027-03-26T09:00:00", "Daily", "Europe/Stockholm")
        let runs = schedule.runs(from: 0, count: 4)
        #expect(runs.map { $0.local.description } == [
            "2027-03-26T09:00:00", "2027-03-27T09:00:00", "2027-03-28T09:00:00", "2027-03-29T09:00:00",
        ])
        #expect(runs.map(ISO8601.format) == [
            "2027-03-26T09:00:00+01:00", "2027-03-27T09:00:00+01:00", "2027-03-28T09:00:00+02:00",
            "2027-03-29T09:00:00+02:00",
        ])
        // The day of the change is 23 hours long, so the instants are 23 hours apart there.
        #expect(runs[2].instant.timeIntervalSince(runs[1].instant) == 23 * 3600)
        let fall = try F.schedule("2027-10-30T09:00:00", "Every 1 Day", "America/New_York")
        #expect(fall.runs(from: 0, count: 10).allSatisfy { $0.local.time.description == "09:00:00" })
    }

    @Test func weeklyRunAtTheGapHourMovesOnlyOnTheDayOfTheChange() throws {
        let schedule = try F.schedule("2027-03-14T02:30:00", "Weekly", "Europe/Stockholm")
        let runs = schedule.runs(from: 0, count: 4)
        #expect(runs.map { $0.local.description } == [
            "2027-03-14T02:30:00", "2027-03-21T02:30:00", "2027-03-28T03:30:00", "2027-04-04T02:30:00",
        ])
        #expect(schedule.localRun(2).description == "2027-03-28T02:30:00")   // the scheduled wall time is kept
        #expect(ISO8601.format(runs[2]) == "2027-03-28T03:30:00+02:00")
    }

    @Test func monthlyRunInTheOverlapTakesTheFirstInstant() throws {
        let schedule = try F.schedule("2027-09-07T01:30:00", "Monthly", "America/New_York")
        let run = try #require(schedule.run(2))
        #expect(ISO8601.format(run) == "2027-11-07T01:30:00-04:00")
    }

    @Test func southernHemisphereMonthlyRunsSwitchOffsetInAprilAndOctober() throws {
        let schedule = try F.schedule("2027-03-04T10:00:00", "Monthly", "Australia/Sydney")
        #expect(schedule.runs(from: 0, count: 8).map(\.utcOffsetSeconds).map { $0 / 3600 } == [11, 10, 10, 10, 10, 10, 10, 11])
        let auckland = try F.schedule("2027-09-25T02:30:00", "Daily", "Pacific/Auckland")
        #expect(auckland.runs(from: 0, count: 3).map(ISO8601.format) == [
            "2027-09-25T02:30:00+12:00", "2027-09-26T03:30:00+13:00", "2027-09-27T02:30:00+13:00",
        ])
    }

    @Test func kathmanduRunsCarryTheQuarterHourOffset() throws {
        let schedule = try F.schedule("2027-01-31T09:00:00", "Monthly", "Asia/Kathmandu")
        let run = try #require(schedule.run(1))
        #expect(ISO8601.format(run) == "2027-02-28T09:00:00+05:45")
        #expect(ISO8601.formatUTC(run.instant) == "2027-02-28T03:15:00Z")
    }

    @Test func startInstantIsLocalMidnightOrTheEndOfAMidnightGap() {
        #expect(ISO8601.formatUTC(F.date("2027-01-31").startInstant(in: F.zone("Europe/Stockholm"))) == "2027-01-30T23:00:00Z")
        #expect(ISO8601.formatUTC(F.date("2027-01-31").startInstant(in: F.zone("Asia/Kathmandu"))) == "2027-01-30T18:15:00Z")
        #expect(ISO8601.formatUTC(F.date("2027-01-31").startInstant(in: F.zone("America/New_York"))) == "2027-01-31T05:00:00Z")
        // Havana springs forward at midnight: the day begins at 01:00 CDT.
        #expect(ISO8601.formatUTC(F.date("2027-03-14").startInstant(in: F.zone("America/Havana"))) == "2027-03-14T05:00:00Z")
    }

    @Test func formattingWritesTheGivenOffsetOrZ() {
        let instant = F.instant("2027-01-31T08:00:00Z")
        #expect(ISO8601.formatInstant(instant, offsetSeconds: 3600) == "2027-01-31T09:00:00+01:00")
        #expect(ISO8601.formatInstant(instant, offsetSeconds: 0) == "2027-01-31T08:00:00+00:00")
        #expect(ISO8601.formatInstant(instant, offsetSeconds: -12_600) == "2027-01-31T04:30:00-03:30")
        #expect(ISO8601.formatInstant(instant, offsetSeconds: 20_700) == "2027-01-31T13:45:00+05:45")
        #expect(ISO8601.formatInstant(instant, offsetSeconds: 1172) == "2027-01-31T08:19:32+00:19:32")
        #expect(ISO8601.formatUTC(instant.addingTimeInterval(0.999)) == "2027-01-31T08:00:00Z")
        #expect(ISO8601.formatUTC(F.instant("1969-07-20T20:17:40Z")) == "1969-07-20T20:17:40Z")
    }

    @Test func unknownTimeZoneNamesAreRefused() throws {
        #expect(try ZoneResolution.timeZone(identifier: "Europe/Stockholm").identifier == "Europe/Stockholm")
        for bad in ["", "Nowhere/Atlantis", "europe/stockholm ", String(repeating: "A", count: 500)] {
            let error = #expect(throws: BillingError.self) { try ZoneResolution.timeZone(identifier: bad) }
            #expect(error?.code == .invalidTimeZone)
        }
    }
}
