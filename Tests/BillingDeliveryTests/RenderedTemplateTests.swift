@testable import BillingDelivery
import BillingDomain
import Foundation
import Testing

/// Templates render, byte for byte, the text pinned in `Tests/Fixtures/rendered-templates/`: every shipped template
/// for four invoices, and a template that uses every name a template can see (`Tests/Fixtures/every-value-templates`)
/// for two. The files were written by the hand-written renderer the drain used before swift-mustache rendered every
/// message, so a change of renderer or of the values templates see cannot change a customer's message unnoticed.
///
/// After changing a template on purpose, run this suite with `RECORD_RENDERED_TEMPLATES=1` to rewrite the files
/// (the run then fails, so recording never passes as checking), and review the diff.
@Suite("Templates render the pinned text")
struct RenderedTemplateTests {
    static let fixtures = OutboxContentTests.repository.appendingPathComponent("Tests/Fixtures")
    static let pinnedFolder = fixtures.appendingPathComponent("rendered-templates")
    static let record = ProcessInfo.processInfo.environment["RECORD_RENDERED_TEMPLATES"] == "1"

    /// The invoices the shipped templates are rendered for: with and without a bank account (and with the seller's
    /// e-mail), a customer name with every character HTML escapes, and a settled invoice (nothing to pay, so the
    /// inverted sections show).
    static var invoices: [(name: String, invoice: InvoiceDocument)] {
        var withoutBank = OutboxContentTests.invoice(lines: 3)
        withoutBank.seller.bankAccount = nil
        withoutBank.seller.email = "faktura@example.com"
        var settled = OutboxContentTests.invoice(lines: 1)
        settled.paid = "25.00"
        settled.balance = "0.00"
        return [
            ("bank-account", OutboxContentTests.invoice()),
            ("no-bank-account", withoutBank),
            ("escaped-customer", OutboxContentTests.invoice(customer: "O'Brien \"Q\" <&>")),
            ("settled", settled),
        ]
    }

    /// The invoices and message kinds the every-value template is rendered for: every optional value present (a
    /// reminder), and none (an empty customer reference counts as none).
    static var everyValueInvoices: [(name: String, kind: String, invoice: InvoiceDocument)] {
        var all = OutboxContentTests.invoice(lines: 2)
        all.customerReference = "PO-77"
        all.supplyDate = "2027-01-15"
        all.customerNotes = "Leave it at the <back> door & ring"
        all.seller.email = "faktura@example.com"
        all.seller.phone = "+46 8 123 45 67"
        all.lines[0].discountPercent = "10"
        all.lines[1].description = ""
        let none = InvoiceDocument(
            seller: .init(name: "Exempel AB"), customerName: "O'Brien \"Q\" <&>", customerAddressLines: [],
            number: "INV-2027-000001", issueDate: "2027-01-31", dueDate: "2027-03-02", periodStart: nil,
            periodEnd: nil, currency: "EUR", lines: [], vat: [], totalExcVat: "0.00", totalVat: "0.00",
            totalIncVat: "0.00", paid: "0.00", balance: "0.00", paymentReference: "RF1", customerReference: "")
        return [("all-values", "reminder_3", all), ("no-optional-values", "invoice_issued", none)]
    }

    /// `en/reminder.text` → ("en", "reminder", "text"), for every template below `folder`.
    static func templateFiles(in folder: URL) throws -> [(name: String, language: String, kind: String, part: String)] {
        let files = try #require(FileManager.default.enumerator(atPath: folder.path))
        var templates: [(name: String, language: String, kind: String, part: String)] = []
        for case let path as String in files where path.hasSuffix(".mustache") {
            let name = String(path.dropLast(".mustache".count))
            let folderAndFile = name.split(separator: "/")
            let kindAndPart = folderAndFile[1].split(separator: ".")
            templates.append((name, String(folderAndFile[0]), String(kindAndPart[0]), String(kindAndPart[1])))
        }
        return templates.sorted { $0.name < $1.name }
    }

    /// The kind a drain renders the template for: a reminder template serves `reminder_N`.
    static func renderedKind(_ kind: String) -> String { kind == "reminder" ? "reminder_2" : kind }

    /// Compares `text` with the pinned file `path` (below `rendered-templates`), or writes it when recording.
    static func check(_ text: String, pinnedAt path: String) throws {
        let file = pinnedFolder.appendingPathComponent(path)
        if record {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
            return
        }
        let pinned = try Data(contentsOf: file)
        // Bytes, not String ==, which would call a precomposed "å" equal to a decomposed one.
        #expect(Data(text.utf8) == pinned, "\(path) differs from the pinned text")
    }

    /// Every file below `folder`, relative to it.
    static func files(below folder: URL) throws -> Set<String> {
        let paths = try #require(FileManager.default.enumerator(atPath: folder.path))
        var found: Set<String> = []
        for case let path as String in paths {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder),
               !isFolder.boolValue {
                found.insert(path)
            }
        }
        return found
    }

    @Test func everyShippedTemplateRendersThePinnedTextForEveryTestInvoice() throws {
        let folder = OutboxContentTests.repository.appendingPathComponent("config/templates")
        let templates = try MessageTemplates(directory: folder.path)
        let shipped = try Self.templateFiles(in: folder)
        #expect(shipped.count == 32)
        var pinned: Set<String> = []
        for (variant, invoice) in Self.invoices {
            for template in shipped {
                let kind = Self.renderedKind(template.kind)
                let text = try #require(templates.render(kind: kind, part: template.part, language: template.language,
                                                         values: MessageValues(invoice: invoice, kind: kind)))
                try Self.check(text, pinnedAt: "shipped/\(variant)/\(template.name)")
                pinned.insert("\(variant)/\(template.name)")
            }
        }
        // A pinned file without a template: a template was removed or renamed and its pinned text left behind.
        #expect(try Self.files(below: Self.pinnedFolder.appendingPathComponent("shipped")) == pinned)
        #expect(pinned.count == Self.invoices.count * 32)
        if Self.record { Issue.record("Recorded the shipped templates' text; review the diff and rerun without recording.") }
    }

    @Test func everyNameATemplateCanUseRendersThePinnedTextAsTextAndAsHTML() throws {
        let templates = try MessageTemplates(directory: Self.fixtures.appendingPathComponent("every-value-templates").path)
        for (variant, kind, invoice) in Self.everyValueInvoices {
            for part in ["text", "html"] {
                let text = try #require(templates.render(kind: "every_value", part: part, language: "en",
                                                         values: MessageValues(invoice: invoice, kind: kind)))
                try Self.check(text, pinnedAt: "every-value/\(variant)/every_value.\(part)")
            }
        }
        if Self.record { Issue.record("Recorded the every-value template's text; review the diff and rerun without recording.") }
    }

    /// An operator's template may use any of swift-mustache: partials, other delimiters, transforms on lists (also
    /// inside their sections) and on text.
    @Test func operatorTemplatesMayUsePartialsOtherDelimitersAndTransforms() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("en"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = [
            "en/greeting": "Dear {{customer.name}}",
            "en/invoice_issued.subject": "{{> en/greeting}}, invoice {{invoice.number}}",
            "en/invoice_issued.text": "{{=<% %>=}}Invoice <%invoice.number%>",
            "en/invoice_issued.sms": "{{count(invoice.lines)}} lines in {{lowercased(invoice.currency)}}:"
                + "{{#invoice.lines}} {{description}}{{^last()}},{{/last()}}{{/invoice.lines}}"
                + "{{#first(invoice.lines)}}; first {{net}}{{/first(invoice.lines)}}",
        ]
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name + ".mustache"), atomically: true, encoding: .utf8)
        }
        let templates = try MessageTemplates(directory: folder.path)
        var invoice = OutboxContentTests.invoice(lines: 3)
        invoice.lines[2].net = "12.50"
        let values = MessageValues(invoice: invoice, kind: "invoice_issued")
        func render(_ part: String) -> String? {
            templates.render(kind: "invoice_issued", part: part, language: "en", values: values)
        }
        #expect(render("subject") == "Dear Smith & Söner <AB>, invoice INV-2027-000042")
        #expect(render("text") == "Invoice INV-2027-000042")
        #expect(render("sms") == "3 lines in sek: Rad 1 – åäö ÅÄÖ øæ, Rad 2 – åäö ÅÄÖ øæ, Rad 3 – åäö ÅÄÖ øæ; first 10.00")
    }
}
