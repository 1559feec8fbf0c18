import BillingDomain
import Foundation
import Testing

@Suite("IANA time zone names")
struct TimeZoneNameTests {
    @Test func abbreviationsAndOffsetsAreNotTimeZones() {
        // Foundation takes all of these as identifiers; none names a zone's daylight-saving rules.
        for bad in ["UTC+5", "PST", "JST", "GMT+5"] {
            let error = #expect(throws: BillingError.self, "\(bad)") { try ZoneResolution.timeZone(identifier: bad) }
            #expect(error?.code == .invalidTimeZone)
        }
    }

    @Test func ianaNamesIncludingUTCAndEtcUTCAreTimeZones() throws {
        for good in ["Europe/Stockholm", "UTC", "Etc/UTC", "Asia/Kolkata", "America/Argentina/Buenos_Aires",
                     "Pacific/Kiritimati", "Etc/GMT+5"] {
            #expect(throws: Never.self, "\(good)") { try ZoneResolution.timeZone(identifier: good) }
        }
    }
}
