@testable import BillingEngine
import ControlProtocol
import Foundation
import Testing

/// A re-import of a template (upsert by RecordGuid) changes what the sending system owns, never what billingd's
/// own runs determined.
@Suite("Template re-import")
struct TemplateReimportTests {
    @Test func aReImportKeepsTheLastRunDateTheRunsDetermined() throws {
        let fixture = try EngineFixture()
        let engine = try fixture.engine(at: "2027-01-31T10:00:00+01:00")
        let document = EngineFixture.document()
        try fixture.importDocument(engine, document)
        try fixture.ctl(engine, "run")
        let before = try fixture.ctl(engine, "templates.show", ["template": "t-1"])["Header"]
        #expect(before?["LastRunDate"]?.stringValue == "2027-01-31T09:00:00")
        // The same template again, as an upstream system would resend it (it knows nothing of billingd's runs).
        try fixture.importDocument(engine, document)
        let after = try fixture.ctl(engine, "templates.show", ["template": "t-1"])["Header"]
        #expect(after?["LastRunDate"]?.stringValue == "2027-01-31T09:00:00")
        #expect(after?["NextRunDate"]?.stringValue == "2027-02-28T09:00:00")
    }

    @Test func aReImportDoesNotBringBackRunsTheCatchUpSkipped() throws {
        let fixture = try EngineFixture()
        // Under catch_up_policy "skip", runs more than an hour late are passed over, not invoiced.
        let late = try fixture.engine(at: "2027-03-15T10:00:00+01:00") { $0.catchUpPolicy = .skip }
        let document = EngineFixture.document()
        try fixture.importDocument(late, document)
        #expect(try fixture.ctl(late, "run")["skippedRuns"]?.intValue == 2)
        try fixture.importDocument(late, document)
        let header = try fixture.ctl(late, "templates.show", ["template": "t-1"])["Header"]
        #expect(header?["NextRunDate"]?.stringValue == "2027-03-31T09:00:00", "Jan 31 and Feb 28 stay skipped")
        #expect(try fixture.ctl(late, "run")["generated"]?.intValue == 0)
    }
}
