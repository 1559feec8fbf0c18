import BillingTestKit
import ControlProtocol
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The repository's example files, found from this source file's location.
enum Examples {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func path(_ name: String) -> String { root.appendingPathComponent("config/examples/\(name)").path }
}

@Suite("Import and catalog through billingd and billingctl")
struct ImportTests {
    @Test func soap11SampleFromTheSeedIsStoredWithEveryHeaderAndLineField() throws {
        let daemon = try DaemonProcess()
        let imported = try daemon.ctl("--json", "import", Examples.path("soap11-monthly.xml"))
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        let answer = try imported.json()
        #expect(answer["customers"]?.intValue == 1)
        #expect(answer["templates"]?.arrayValue?.first?["recordGuid"]?.stringValue == "8f0e4c52-3b1d-4a7e-9c61-0d2b7a5e9f10")
        let id = try #require(answer["templates"]?.arrayValue?.first?["id"]?.intValue)

        let shown = try daemon.ctl("--json", "templates", "show", String(id))
        #expect(shown.exitCode == 0)
        let template = try shown.json()
        let header = try #require(template["Header"])
        let expectedHeader: [String: String] = [
            "Id": "1042", "RecordGuid": "8f0e4c52-3b1d-4a7e-9c61-0d2b7a5e9f10", "CustomerGUID": "c-tennis-017",
            "EmployeeGUID": "e-0003", "CurrencyRate": "1", "DueDays": "14",
            "CustomerNotes": "Membership, courts and coaching", "CreatedOnUtc": "2026-11-20T08:15:00Z",
            "CustomerReference": "PO-7781", "RepeatVery": "Monthly", "RunDate": "2027-01-31T09:00:00",
            "NextRunDate": "2027-01-31T09:00:00", "StoreCode": "PUCKANE", "Exported": "false",
            "TotalIncVat": "1308.75", "TotalExcVat": "1047.00", "TotalCost": "340.00", "Currency": "SEK",
            "TimeZone": "Europe/Stockholm",
        ]
        for (field, value) in expectedHeader {
            #expect(text(header[field]) == value, "Header.\(field)")
        }
        #expect(header["LastRunDate"] == .null)
        let lines = try #require(template["Lines"]?.arrayValue)
        #expect(lines.count == 3)
        let expectedLines: [[String: String]] = [
            ["Id": "1", "LineGuid": "l-membership", "LineType": "1", "ProductGUID": "p-membership",
             "ProductDescription": "Club membership", "Quantity": "1", "UnitPrice": "499.00", "UnitCost": "120.00",
             "TotalPriceInc": "623.75", "TotalPriceExc": "499.00", "Sku": "MEM-1", "TaxCategoryId": "1", "TaxRate": "25",
             "RecurringInvoiceGuid": "8f0e4c52-3b1d-4a7e-9c61-0d2b7a5e9f10"],
            ["LineGuid": "l-courts", "Quantity": "4", "UnitPrice": "87.00", "TotalPriceInc": "435.00", "Sku": "CRT-H"],
            ["LineGuid": "l-coaching", "Quantity": "2", "UnitPrice": "100.00", "TotalPriceExc": "200.00"],
        ]
        for (index, expected) in expectedLines.enumerated() {
            for (field, value) in expected {
                #expect(text(lines[index][field]) == value, "Lines[\(index)].\(field)")
            }
        }
        #expect(daemon.stop() == 0)
    }

    @Test func soap12EnvelopeIsAcceptedLikeSoap11() throws {
        let daemon = try DaemonProcess()
        let soap12 = try String(contentsOfFile: Examples.path("soap11-monthly.xml"), encoding: .utf8)
            .replacingOccurrences(of: "http://schemas.xmlsoap.org/soap/envelope/", with: "http://www.w3.org/2003/05/soap-envelope")
            .replacingOccurrences(of: "soap:", with: "soap12:").replacingOccurrences(of: "xmlns:soap=", with: "xmlns:soap12=")
        let result = try daemon.ctl("--json", "import", "-", input: Data(soap12.utf8))
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        #expect(try result.json()["templates"]?.arrayValue?.count == 1)
    }

    @Test func reimportUpsertsByRecordGuidAndCustomerGuid() throws {
        // The examples' runs lie in 2026: a clock of then keeps them within billing.max_backdate_days.
        let daemon = try DaemonProcess(extraArguments: ["--now", "2026-12-01T12:00:00Z"])
        let first = try daemon.ctl("--json", "import", Examples.path("templates.json"))
        #expect(first.exitCode == 0, "\(first.stderr)")
        let changed = try String(contentsOfFile: Examples.path("templates.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"Lovelace\"", with: "\"King\"")
        let second = try daemon.ctl("--json", "import", "-", input: Data(changed.utf8))
        #expect(second.exitCode == 0)
        #expect(try first.json()["templates"] == second.json()["templates"], "same ids for the same RecordGuids")
        let customers = try daemon.ctl("--json", "customers", "list").json()["customers"]?.arrayValue ?? []
        #expect(customers.count == 2)
        let ada = try daemon.ctl("--json", "customers", "show", "c-ada").json()
        #expect(ada["LastName"]?.stringValue == "King")
        let templates = try daemon.ctl("--json", "templates", "list").json()["templates"]?.arrayValue ?? []
        #expect(templates.count == 2)
        #expect(templates.first { $0["recordGuid"]?.stringValue == "t-courts-sakura" }?["totalIncVat"]?.stringValue == "21744")
    }

    @Test func unknownTemplateAndCustomerAreRefusedWithTheirCodes() throws {
        let daemon = try DaemonProcess()
        let template = try daemon.ctl("--json", "templates", "show", "no-such-template")
        #expect(template.exitCode == 1)
        #expect(try template.json()["error"]?["code"]?.stringValue == "TEMPLATE_NOT_FOUND")
        let customer = try daemon.ctl("customers", "show", "nobody")
        #expect(customer.exitCode == 1)
        #expect(customer.stderr.contains("CUSTOMER_NOT_FOUND"))
    }

    @Test func billingctlExitCodesFollowTheContract() throws {
        let daemon = try DaemonProcess()
        #expect(try daemon.ctl("status").exitCode == 0)
        #expect(try daemon.ctl("no-such-command").exitCode == 2)
        #expect(try daemon.ctl("templates", "show").exitCode == 2, "missing argument is a usage error")
        let unreachable = try runProgram(Products.billingctl, ["--socket", daemon.socket + ".missing", "status"])
        #expect(unreachable.exitCode == 3)
        let status = try daemon.ctl("--json", "status").json()
        #expect(status["database"]?.stringValue == daemon.database)
        #expect(status["invoices"]?["Due"]?.intValue == 0)
        #expect(daemon.stop() == 0, "SIGTERM stops billingd cleanly")
        #expect(!FileManager.default.fileExists(atPath: daemon.socket), "the socket file is removed on stop")
    }

    @Test func sigintStopsTheDaemonCleanlyLikeSigterm() throws {
        // The examples' runs lie in 2026: a clock of then keeps them within billing.max_backdate_days.
        let daemon = try DaemonProcess(extraArguments: ["--now", "2026-12-01T12:00:00Z"])
        #expect(try daemon.ctl("import", Examples.path("templates.json")).exitCode == 0)
        #expect(daemon.stop(signal: SIGINT) == 0)
        #expect(!FileManager.default.fileExists(atPath: daemon.socket))
        #expect(try SQLiteShell.scalar(daemon.database, "PRAGMA integrity_check") == "ok")
    }

    @Test func checkConfigNamesTheBadLineAndExitsNonZero() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.conf").path
        try "[billing]\ncurrency = \"SEK\"\ncatch_up_policy = \"sometimes\"\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try runProgram(Products.billingd, ["--check-config", "--config", bad])
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("bad.conf:3"))
        #expect(refused.stderr.contains("catch_up_policy"))
        let example = Examples.root.appendingPathComponent("config/billingd.conf.example").path
        #expect(try runProgram(Products.billingd, ["--check-config", "--config", example]).exitCode == 0)
        let development = Examples.root.appendingPathComponent("config/development.conf").path
        #expect(try runProgram(Products.billingd, ["--check-config", "--config", development]).exitCode == 0)
        #expect(try runProgram(Products.billingd, ["--check-config"]).exitCode == 0, "the embedded default needs no file")
    }
}

/// A scalar JSON value as text, for field-by-field comparison.
func text(_ value: JSONValue?) -> String? {
    switch value {
    case .string(let s)?: return s
    case .number(let n)?: return n
    case .bool(let b)?: return b ? "true" : "false"
    default: return nil
    }
}
