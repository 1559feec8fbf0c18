import Foundation
import Testing
@testable import BillingDomain

@Suite struct LocalDateTimeParsingTests {
    let stockholm = ScheduleFixtures.zone("Europe/Stockholm")

    @Test(arguments: [
        ("2027-01-31", "2027-01-31T00:00:00"),
        ("2027-01-31T09:00", "2027-01-31T09:00:00"),
        ("2027-01-31T09:00:07", "2027-01-31T09:00:07"),
        ("2027-01-31T09:00:07.0000000", "2027-01-31T09:00:07"),
        ("2027-01-31T09:00:07.9", "2027-01-31T09:00:07"),
    ])
    func textWithoutOffsetIsAlreadyLocal(text: String, expected: String) throws {
        #expect(try LocalDateTime.parse(text, in: stockholm).description == expected)
    }

    @Test(arguments: [
        ("2027-01-31T08:00:00Z", "Europe/Stockholm", "2027-01-31T09:00:00"),
        ("2027-01-31T09:00:00+01:00", "Europe/Stockholm", "2027-01-31T09:00:00"),
        ("2027-07-31T09:00:00+01:00", "Europe/Stockholm", "2027-07-31T10:00:00"),
        ("2027-01-31T23:30:00-05:00", "Europe/Stockholm", "2027-02-01T05:30:00"),
        ("2027-01-31T00:00:00.0000000Z", "Asia/Kathmandu", "2027-01-31T05:45:00"),
        ("2027-01-31T09:00Z", "America/New_York", "2027-01-31T04:00:00"),
        ("2027-01-31T12:00:00+00:00", "Pacific/Auckland", "2027-02-01T01:00:00"),
    ])
    func textWithOffsetIsConvertedToTheZonesWallTime(text: String, zone: String, expected: String) throws {
        #expect(try LocalDateTime.parse(text, in: ScheduleFixtures.zone(zone)).description == expected)
    }

    @Test(arguments: [
        "", "2027", "2027-1-31", "31/01/2027", " 2027-01-31", "2027-01-31 ", "2027-01-31 09:00", "2027-01-31t09:00",
        "2027-01-31T9:00", "2027-01-31T09", "2027-01-31T09:00:00.", "2027-01-31T09:00:00+0100", "2027-01-31T09:00:00+01",
        "2027-01-31T09:00:00 Z", "2027-01-31Z", "2027-01-31+01:00", "2027-01-31T09:00:00+19:00", "2027-01-31T09:00:00+01:60",
        "２０２７-01-31", "2027-01-31T09:00:00ZZ", "tomorrow",
    ])
    func malformedTextIsRefusedNamingTheTextAndTheAcceptedForms(text: String) {
        let error = #expect(throws: BillingError.self) { try LocalDateTime.parse(text, in: stockholm) }
        #expect(error?.code == .invalidDate)
        #expect(error?.message.contains("'\(text)'") == true)
        #expect(error?.message.contains("YYYY-MM-DDTHH:MM:SS") == true)
    }

    @Test(arguments: [
        ("2027-02-29", "has 28 days"), ("2027-04-31T09:00:00", "has 30 days"), ("2027-13-01", "month 13"),
        ("0000-01-01", "year 0"), ("2027-01-31T24:00:00", "time of day"), ("2027-01-31T09:60", "time of day"),
        ("2027-01-31T09:00:60", "time of day"),
    ])
    func wellFormedButImpossibleDatesAreRefusedSayingWhy(text: String, reason: String) {
        let error = #expect(throws: BillingError.self) { try LocalDateTime.parse(text, in: stockholm) }
        #expect(error?.code == .invalidDate)
        #expect(error?.message.contains(text) == true)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
    }

    @Test func hugeInputIsQuotedOnlyInPart() {
        let text = String(repeating: "9", count: 10_000)
        let error = #expect(throws: BillingError.self) { try LocalDateTime.parse(text, in: stockholm) }
        #expect((error?.message.count ?? .max) < 400)
    }

    @Test func descriptionRoundTripsThroughParse() throws {
        let value = try #require(LocalDateTime(year: 2027, month: 3, day: 8, hour: 7, minute: 5, second: 3))
        #expect(value.description == "2027-03-08T07:05:03")
        #expect(try LocalDateTime.parse(value.description, in: stockholm) == value)
    }
}
