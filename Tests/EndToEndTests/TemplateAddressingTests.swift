import BillingTestKit
import ControlProtocol
import Foundation
import Testing

/// DESIGN §4: a template is addressed by Id or RecordGuid; where both could match, `id:N` and `guid:N`
/// disambiguate and the bare form is refused with AMBIGUOUS_TEMPLATE naming both, in every command that takes one.
@Suite("Template addressing")
struct TemplateAddressingTests {
    @Test func bareReferenceThatIsOneTemplatesIdAndAnothersRecordGuidIsAmbiguousTemplate() throws {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2027-01-01T00:00:00Z"])
        func template(_ guid: String) -> String {
            """
            {"Header": {"RecordGuid": "\(guid)", "CustomerGUID": "c-1", "RepeatVery": "Monthly",
                        "RunDate": "2027-03-01T09:00:00", "NextRunDate": "2027-03-01T09:00:00"},
             "Lines": [{"LineGuid": "l", "Quantity": 1, "UnitPrice": "10.00", "TaxRate": 25}]}
            """
        }
        let document = """
            {"Customers": [{"CustomerGUID": "c-1"}], "RecurringInvoices": [\(template("t-a")), \(template("1"))]}
            """
        let imported = try daemon.ctl("--json", "import", "-", input: Data(document.utf8)).json()
        let ids = imported["templates"]?.arrayValue?.compactMap { $0["id"]?.intValue }
        #expect(ids == [1, 2], "t-a is template 1, RecordGuid \"1\" is template 2")

        for command in [["templates", "show", "1"], ["templates", "pause", "1"], ["templates", "resume", "1"],
                        ["preview", "1"], ["run", "--template", "1"]] {
            let refused = try runProgram(Products.billingctl, ["--socket", daemon.socket, "--json"] + command)
            #expect(refused.exitCode == 1, "\(command): \(refused.stdout)")
            let error = try refused.json()["error"]
            #expect(error?["code"]?.stringValue == "AMBIGUOUS_TEMPLATE", "\(command): \(refused.stdout)")
            let message = error?["message"]?.stringValue ?? ""
            #expect(message.contains("template 1") && message.contains("template 2") && message.contains("id:1")
                        && message.contains("guid:1"), "\(message)")
        }

        #expect(try daemon.ctl("--json", "templates", "show", "id:1").json()["Header"]?["RecordGuid"]?.stringValue == "t-a")
        #expect(try daemon.ctl("--json", "templates", "show", "guid:1").json()["id"]?.intValue == 2)
        #expect(try daemon.ctl("--json", "templates", "show", "t-a").json()["id"]?.intValue == 1, "no ambiguity, no prefix")
        #expect(try daemon.ctl("--json", "templates", "pause", "guid:1").json()["status"]?.stringValue == "paused")
        #expect(try daemon.ctl("--json", "templates", "resume", "guid:1").json()["status"]?.stringValue == "active")
        #expect(try daemon.ctl("--json", "preview", "id:1").json()["template"]?["recordGuid"]?.stringValue == "t-a")
        #expect(try daemon.ctl("run", "--template", "guid:1").exitCode == 0)
        let missing = try daemon.ctl("--json", "templates", "show", "id:9")
        #expect(try missing.json()["error"]?["code"]?.stringValue == "TEMPLATE_NOT_FOUND")
    }
}
