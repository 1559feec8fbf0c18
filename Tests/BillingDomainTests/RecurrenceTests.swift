import Foundation
import Testing
@testable import BillingDomain

@Suite struct RecurrenceTests {
    @Test(arguments: [
        ("Daily", Recurrence.Unit.day, 1), ("Weekly", .week, 1), ("Fortnightly", .week, 2), ("Biweekly", .week, 2),
        ("Monthly", .month, 1), ("Bimonthly", .month, 2), ("Quarterly", .month, 3), ("HalfYearly", .month, 6),
        ("Semiannually", .month, 6), ("Yearly", .year, 1), ("Annually", .year, 1),
        ("Every 1 Day", .day, 1), ("Every 10 Days", .day, 10), ("Every 3 Weeks", .week, 3), ("Every 1 Week", .week, 1),
        ("Every 18 Months", .month, 18), ("Every 2 Years", .year, 2), ("Every 1000 Days", .day, 1000),
        ("Every 007 Days", .day, 7), ("Every 1 Years", .year, 1),
    ])
    func everyAcceptedFormParsesToItsUnitAndInterval(text: String, unit: Recurrence.Unit, interval: Int) throws {
        let recurrence = try Recurrence.parse(text)
        #expect(recurrence.unit == unit)
        #expect(recurrence.interval == interval)
    }

    @Test(arguments: ["MONTHLY", "monthly", "  Monthly  ", "\tMonthly\n", "mOnThLy"])
    func namesAreCaseInsensitiveAndSurroundingSpaceIsIgnored(text: String) throws {
        #expect(try Recurrence.parse(text) == .monthly)
    }

    @Test(arguments: ["every 3 weeks", "EVERY 3 WEEKS", "  Every   3    Weeks ", "Every\t3 Weeks"])
    func everyNFormToleratesCaseAndRepeatedSpaces(text: String) throws {
        #expect(try Recurrence.parse(text) == Recurrence(unit: .week, interval: 3))
    }

    @Test(arguments: [
        "Montly", "Every 0 Days", "Every 1001 Days", "Every -1 Weeks", "", "   ", "Every Days", "Every 3", "Every",
        "Every 3 Fortnights", "Every 3.5 Days", "Every +3 Days", "Every three Days", "Monthly Monthly",
        "Every 3 Days please", "Every3Days", "Every 99999999999999999999999 Days", "Every ３ Days", "Hourly",
    ])
    func anythingElseIsRefusedNamingTheValueAndTheAcceptedForms(text: String) {
        let error = #expect(throws: BillingError.self) { try Recurrence.parse(text) }
        #expect(error?.code == .invalidRepeat)
        #expect(error?.message.contains("Fortnightly (Biweekly)") == true)
        #expect(error?.message.contains("Every N Days|Weeks|Months|Years") == true)
        if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            #expect(error?.message.contains("'\(text)'") == true)
        } else {
            #expect(error?.message.contains("empty") == true)
        }
    }

    @Test func descriptionIsTheCanonicalName() throws {
        #expect(try Recurrence.parse("monthly").description == "Monthly")
        #expect(try Recurrence.parse("biweekly").description == "Fortnightly")
        #expect(try Recurrence.parse("semiannually").description == "HalfYearly")
        #expect(try Recurrence.parse("annually").description == "Yearly")
        #expect(try Recurrence.parse("every 3 weeks").description == "Every 3 Weeks")
        #expect(try Recurrence.parse("every 1 day").description == "Daily")
        #expect(try Recurrence.parse("every 12 months").description == "Every 12 Months")
    }

    @Test func descriptionParsesBackToTheSameValueForEveryUnitAndInterval() throws {
        for unit in Recurrence.Unit.allCases {
            for interval in 1...Recurrence.maxInterval {
                let recurrence = try Recurrence(unit: unit, interval: interval)
                if try Recurrence.parse(recurrence.description) != recurrence {
                    Issue.record("\(recurrence.description) does not round-trip")
                }
            }
        }
    }

    @Test(arguments: [0, -1, 1001, Int.max, Int.min])
    func intervalOutsideOneToAThousandIsRefused(interval: Int) {
        #expect(throws: BillingError.self) { try Recurrence(unit: .day, interval: interval) }
    }
}
