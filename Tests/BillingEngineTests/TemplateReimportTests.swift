@testable import BillingEngine
import BillingDomain
import BillingTestKit
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

    /// An earlier billingd stored any zone name Foundation took (`JST`); such a template keeps billing, and may be
    /// imported again under the IANA name with the same offsets, while a zone that moves its runs stays refused.
    @Test func aTemplateStoredUnderALegacyZoneNameKeepsBillingAndTakesItsIANAName() throws {
        let fixture = try EngineFixture()
        let engine = try fixture.engine(at: "2027-01-31T10:00:00+09:00")
        let tokyo = EngineFixture.document(zone: "Asia/Tokyo")
        try fixture.importDocument(engine, tokyo)
        #expect(try fixture.ctl(engine, "run")["generated"]?.intValue == 1)
        _ = try runProgram("/usr/bin/sqlite3", [fixture.databasePath, "UPDATE templates SET time_zone = 'JST'"])

        let later = try fixture.engine(at: "2027-02-28T10:00:00+09:00")
        #expect(try fixture.ctl(later, "templates.show", ["template": "t-1"])["Header"]?["TimeZone"]?.stringValue == "JST")
        #expect(try fixture.ctl(later, "run")["generated"]?.intValue == 1, "the February run is billed as before")
        #expect(throws: BillingError.self, "JST is refused as new input") {
            try fixture.importDocument(later, EngineFixture.document(zone: "JST"))
        }
        #expect(throws: BillingError.self, "a zone with other offsets would move the runs") {
            try fixture.importDocument(later, EngineFixture.document(zone: "Europe/Stockholm"))
        }
        try fixture.importDocument(later, tokyo)
        let header = try fixture.ctl(later, "templates.show", ["template": "t-1"])["Header"]
        #expect(header?["TimeZone"]?.stringValue == "Asia/Tokyo")
        #expect(header?["NextRunDate"]?.stringValue == "2027-03-31T09:00:00")
    }
}
