import BillingDomain
import BillingEngine
import Foundation
import Testing

/// Every place a zone is read takes IANA names only: the import's TimeZone and the configured default.
@Suite("Time zones in import and configuration")
struct TimeZoneInputTests {
    private let defaults = ImportDocument.Defaults(
        timeZone: TimeZone(identifier: "UTC")!, currency: Currency(code: "EUR")!, roundingMode: .halfUp,
        vatRounding: .perLine)

    private func document(zone: String) -> [UInt8] {
        Array("""
            {"RecurringInvoices": [{"Header": {"RecordGuid": "t-1", "CustomerGUID": "c-1", "RepeatVery": "Monthly",
              "RunDate": "2027-01-05T09:00:00", "NextRunDate": "2027-01-05T09:00:00", "TimeZone": "\(zone)"},
              "Lines": [{"LineGuid": "l", "Quantity": 1, "UnitPrice": "10", "TaxRate": 25}]}]}
            """.utf8)
    }

    @Test func importRefusesTimeZoneAbbreviationsAndOffsets() throws {
        for bad in ["PST", "JST", "GMT+5", "UTC+5"] {
            let error = #expect(throws: BillingError.self, "\(bad)") { try ImportDocument.parse(document(zone: bad), defaults: defaults) }
            #expect(error?.code == .invalidTimeZone)
            #expect(error?.field == "RecurringInvoices[0].Header.TimeZone")
        }
        for good in ["Etc/UTC", "UTC", "Asia/Tokyo"] {
            #expect(throws: Never.self, "\(good)") { try ImportDocument.parse(document(zone: good), defaults: defaults) }
        }
    }

    @Test func configurationRefusesATimeZoneAbbreviationAsTheDefault() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("zone-\(UUID().uuidString).conf").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "[billing]\ntime_zone = \"PST\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: BillingError.self) { try Configuration.load(path: file) }
        #expect(error?.code == .invalidConfig)
        #expect(error?.message.contains(":2: billing.time_zone") == true, "\(error?.message ?? "")")
        try "[billing]\ntime_zone = \"Etc/UTC\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try Configuration.load(path: file).defaultTimeZone.identifier == "Etc/UTC")
    }
}
