import BillingEngine
import Foundation
import Logging
import Testing

/// The recurring run on an engine of its own (no scheduler, so nothing else generates behind the test's back).
@Suite("Recurring run")
struct RecurringRunTests {
    /// `run --template X` queries X itself: X is generated even when more templates are due before it than one
    /// batch of the full run takes (2,000).
    @Test func runOfOneTemplateGeneratesItWhenMoreThan2000TemplatesAreDueBeforeIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = Configuration.embeddedDefault(environment: ["STATE_DIRECTORY": folder.path])
        configuration.databasePath = folder.appendingPathComponent("billing.sqlite").path
        let engine = try BillingEngine(
            configuration: configuration,
            clock: .simulated(startingAt: ISO8601DateFormatter().date(from: "2027-01-10T12:00:00Z")!),
            logger: Logger(label: "test"))
        func template(_ guid: String, runAt: String) -> String {
            """
            {"Header": {"RecordGuid": "\(guid)", "CustomerGUID": "c-1", "RepeatVery": "Monthly", "RunDate": "\(runAt)",
             "NextRunDate": "\(runAt)", "DueDays": 30, "Currency": "EUR", "TimeZone": "UTC"},
             "Lines": [{"LineGuid": "l", "Quantity": 1, "UnitPrice": "10.00", "TaxRate": 25}]}
            """
        }
        let earlier = (1...2_000).map { template("t-\($0)", runAt: "2027-01-01T09:00:00") }
        let document = #"{"Customers": [{"CustomerGUID": "c-1"}], "RecurringInvoices": ["#
            + (earlier + [template("t-last", runAt: "2027-01-05T09:00:00")]).joined(separator: ",") + "]}"
        let outcome = try engine.importDocument(Array(document.utf8))
        let last = try #require(outcome.templates.last)
        #expect(last.recordGuid == "t-last")

        let report = try engine.runRecurring(onlyTemplate: "t-last")
        #expect(report.generated.map(\.templateId) == [last.id], "\(report.generated.count) generated")
        #expect(try engine.runRecurring(onlyTemplate: "t-last").generated.isEmpty, "its one due run is invoiced")
    }
}
