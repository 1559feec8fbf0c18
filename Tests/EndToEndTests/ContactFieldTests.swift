import BillingTestKit
import ControlProtocol
import Foundation
import Testing

/// Customer names and addresses end up in e-mail headers, the sendmail envelope and log lines: what a sender
/// would refuse is refused when it arrives (import, `resend --to`), and what is sent survives a strict reader.
@Suite("Names and addresses: refused on arrival, intact in every header")
struct ContactFieldTests {
    /// A document with one customer whose `field` is `value` (and a valid name and e-mail otherwise).
    static func customerDocument(_ field: String, _ value: String) -> String {
        var pairs: [(String, String)] = [("CustomerGUID", "c-1"), ("FirstName", "Ada"), ("Email", "ada@example.com")]
        if let index = pairs.firstIndex(where: { $0.0 == field }) { pairs[index].1 = value } else { pairs.append((field, value)) }
        let members = pairs.map { "\"\($0.0)\": \(JSONValue.string($0.1).serialized())" }.joined(separator: ", ")
        return #"{"Customers": [{\#(members)}]}"#
    }

    static func expectRefused(_ result: CommandResult, field: String, _ what: String) throws {
        #expect(result.exitCode == 1, "\(what) refused: \(result.stdout)\(result.stderr)")
        let error = try? result.json()["error"]
        #expect(error?["code"]?.stringValue == "INVALID_FIELD", "\(what): \(result.stdout)")
        #expect(error?["field"]?.stringValue == field, "\(what): \(result.stdout)")
    }

    @Test func controlCharactersInNamesAndAddressesAreRefusedAtImport() throws {
        let daemon = try DaemonProcess()
        let cases = [
            ("CompanyName", "\nevil@attacker.example, Real Customer"), ("FirstName", "Eve\r\nBcc: x@attacker.example"),
            ("LastName", "Tab\there"), ("CompanyName", "Line\u{2028}separator"), ("CompanyName", "Next\u{85}line"),
            ("AddressLine1", "Storgatan 1\nBcc: x"), ("AddressLine2", "c/o\u{7f}"), ("PostalCode", "111\r22"),
            ("City", "Stock\u{1b}[2Jholm"), ("Country", "S\nE"), ("Email", "ada@example.com\r\nBcc: x@attacker.example"),
            ("MobilePhoneNumber", "+46701234567\n"),
        ]
        for (field, value) in cases {
            let result = try daemon.ctl("--json", "import", "-", input: Data(Self.customerDocument(field, value).utf8))
            try Self.expectRefused(result, field: "Customers[0].\(field)", "\(field) \(value.debugDescription)")
        }
        #expect(try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM customers") == "0", "nothing imported")
        let fine = try daemon.ctl("--json", "import", "-", input: Data(Self.customerDocument("CompanyName", "Smith, \"Jr\" <Ltd>; (x)").utf8))
        #expect(fine.exitCode == 0, "specials without control characters are a name like any other: \(fine.stdout)")
    }

    @Test func addressesTheSenderWouldRefuseAreRefusedOnArrival() throws {
        let daemon = try DaemonProcess()
        for (field, value) in [("Email", "ümlaut@exämple.se"), ("Email", "x(comment)\"q\"@example.com"),
                               ("Email", "a@localhost"), ("MobilePhoneNumber", "123456")] {
            let result = try daemon.ctl("--json", "import", "-", input: Data(Self.customerDocument(field, value).utf8))
            try Self.expectRefused(result, field: "Customers[0].\(field)", "\(field) \(value)")
        }
        #expect(try daemon.ctl("import", "-", input: Data(Self.customerDocument("MobilePhoneNumber", "+46 70-123 45 67").utf8)).exitCode == 0)

        let fixture = try OutboxFixture()
        try fixture.once(OutboxFixture.firstRun)
        let running = try fixture.daemon(now: "2027-02-01T10:00:00+01:00")
        for (via, to) in [("email", "accounts@example.com\r\nBcc: x@attacker.example"), ("email", "ümlaut@exämple.se"),
                          ("email", "x(comment)\"q\"@example.com"), ("sms", "123456"), ("post", "Storgatan 1\nBcc: x")] {
            let result = try running.ctl("--json", "resend", OutboxFixture.invoiceNumber, "--via", via, "--to", to)
            try Self.expectRefused(result, field: "to", "resend --via \(via) --to \(to.debugDescription)")
        }
        #expect(try fixture.rows("SELECT count(*) FROM outbox WHERE kind = 'resend'") == [["0"]], "nothing queued")
        #expect(try running.ctl("resend", OutboxFixture.invoiceNumber, "--via", "sms", "--to", "+46 70 123 45 67").exitCode == 0)
    }

    /// A 1,000-character name, one grapheme of 1,001 scalars and a long non-ASCII name with specials go through a
    /// real SMTP server (whose line limit is RFC 5321's 1,000) and Python's strict parser: no defect, the one real
    /// recipient, the name as imported.
    @Test func longCustomerNamesAreFoldedAndArriveWithoutDefects() throws {
        let names = [String(repeating: "Nordic Widgets, \"Ltd\" ", count: 50).prefix(1_000).description,
                     String(repeating: "x", count: 1_000), "e" + String(repeating: "\u{301}", count: 1_000),
                     String(repeating: "Åsa Öberg <ö@ö>; ", count: 58) + "AB"]
        let customers = names.enumerated().map { index, name in
            #"{"CustomerGUID": "c-\#(index)", "CompanyName": \#(JSONValue.string(name).serialized()), "Email": "c\#(index)@example.com"}"#
        }
        let templates = names.indices.map { index in
            #"""
            {"Header": {"RecordGuid": "t-\#(index)", "CustomerGUID": "c-\#(index)", "RepeatVery": "Monthly",
                        "RunDate": "2027-01-31T09:00:00", "NextRunDate": "2027-01-31T09:00:00", "Currency": "SEK",
                        "CurrencyRate": "0.0870", "TimeZone": "Europe/Stockholm"},
             "Lines": [{"LineGuid": "l-1", "ProductDescription": "Support", "Quantity": 1, "UnitPrice": "10.00", "TaxRate": 25}]}
            """#
        }
        let document = #"{"Customers": [\#(customers.joined(separator: ","))], "RecurringInvoices": [\#(templates.joined(separator: ","))]}"#
        let sink = try LoopbackServer.smtpSink()
        let fixture = try OutboxFixture(OutboxSMTPTests.smtp(sink.port), document: document)
        try fixture.once(OutboxFixture.firstRun)

        let records = try sink.records()
        let errors = try fixture.rows("SELECT ifnull(last_error, '') FROM outbox")
        #expect(try fixture.rows("SELECT status, count(*) FROM outbox GROUP BY status") == [["sent", String(names.count)]],
                "every message accepted: \(errors)")
        for (index, name) in names.enumerated() {
            let record = try #require(records.first { $0["rcptTos"]?[0]?.stringValue == "c\(index)@example.com" },
                                      "message \(index) arrived")
            #expect(record["defects"]?.arrayValue?.isEmpty == true, "no defects for name \(index): \(record["defects"] ?? .null)")
            #expect((record["longestHeaderLine"]?.intValue ?? 999) <= 78, "folded: name \(index)")
            let to = record["toAddresses"]?.arrayValue ?? []
            #expect(to.count == 1 && to.first?[1]?.stringValue == "c\(index)@example.com", "one recipient: \(to)")
            #expect(record["toNames"]?.arrayValue?.compactMap(\.stringValue) == [name],
                    "the decoded name is the imported one (name \(index))")
        }
    }
}
