@testable import BillingEngine
import ControlProtocol
import BillingDomain
import Foundation
import Testing

/// What the customer gave (reference, notes, discount) and who they were at issue reach the invoice: its PDF and
/// `invoices show`.
@Suite("Invoice content: what the customer gave and the buyer at issue")
struct InvoiceContentTests {
    static let number = "INV-2027-000001"

    @Test func theInvoiceShowsTheCustomersReferenceNotesAndLineDiscount() throws {
        let fixture = try EngineFixture()
        let engine = try fixture.engine(at: "2027-01-31T10:00:00+01:00")
        try fixture.importDocument(engine, EngineFixture.document(
            header: #", "CustomerReference": "PO-4711", "CustomerNotes": "Thank you for your order. Support: 08-123 45""#,
            line: #", "UnitPrice": "100.00", "DiscountPercent": 10"#))
        try fixture.ctl(engine, "run")

        let shown = try fixture.show(engine, Self.number)
        #expect(shown["customerReference"]?.stringValue == "PO-4711")
        #expect(shown["customerNotes"]?.stringValue == "Thank you for your order. Support: 08-123 45")
        #expect(shown["lines"]?[0]?["discountPercent"]?.stringValue == "10")

        let text = try fixture.pdf(engine, Self.number).text
        #expect(text.contains("PO-4711"), "\(text)")
        #expect(text.contains("Thank you for your order. Support: 08-123 45"), "\(text)")
        let row = text.split(separator: "\n").first { $0.contains("Hosting") }.map(String.init) ?? ""
        #expect(row.contains("10 %") && row.contains("25 %") && row.contains("90.00"), "the discount on the line: \(row)")
    }

    @Test func anIssuedInvoiceKeepsTheBuyerAsItWasAtIssue() throws {
        let fixture = try EngineFixture()
        let engine = try fixture.engine(at: "2027-01-31T10:00:00+01:00")
        try fixture.importDocument(engine, EngineFixture.document())
        try fixture.ctl(engine, "run")
        let before = try fixture.pdf(engine, Self.number)
        // The customer moves and marries; the invoice already issued must not change.
        try fixture.importDocument(engine, """
            {"Customers": [{"CustomerGUID": "c-1", "FirstName": "Åsa", "LastName": "Lind", "Language": "en",
                            "AddressLine1": "Drottninggatan 9", "PostalCode": "111 51", "City": "Stockholm"}]}
            """)
        let shown = try fixture.show(engine, Self.number)
        let buyer = try #require(shown["buyer"])
        #expect(buyer["name"]?.stringValue == "Åsa Öberg")
        #expect(buyer["addressLine1"]?.stringValue == "Kungsgatan 5")
        #expect(buyer["postalCode"]?.stringValue == "411 19" && buyer["city"]?.stringValue == "Göteborg")
        #expect(buyer["country"]?.stringValue == "Sverige")
        let after = try fixture.pdf(engine, Self.number)
        #expect(after.text.contains("Åsa Öberg") && after.text.contains("Kungsgatan 5"), "\(after.text)")
        #expect(!after.text.contains("Drottninggatan"))
        #expect(after.bytes == before.bytes, "rendered again exactly as it was sent")
    }

    @Test func invoicesShowListsThePaymentsMadeOnIt() throws {
        let fixture = try EngineFixture()
        let engine = try fixture.engine(at: "2027-01-31T10:00:00+01:00")
        try fixture.importDocument(engine, EngineFixture.document())
        try fixture.ctl(engine, "run")
        try fixture.ctl(engine, "pay", ["number": .string(Self.number), "amount": "50.00", "type": "ach",
                                        "ref": "BANK-1", "date": "2027-01-31", "payerName": "Åsa Öberg"])
        let payments = try #require(try fixture.show(engine, Self.number)["payments"]?.arrayValue)
        #expect(payments.count == 1)
        let payment = try #require(payments.first)
        #expect(payment["amount"]?.stringValue == "50.00" && payment["type"]?.stringValue == "ach")
        #expect(payment["refNo"]?.stringValue == "BANK-1" && payment["paymentDate"]?.stringValue == "2027-01-31")
        #expect(payment["payerName"]?.stringValue == "Åsa Öberg" && payment["id"]?.intValue != nil)
    }
}
