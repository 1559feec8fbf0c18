@testable import BillingDelivery
import BillingDomain
import Foundation
import Testing

/// The compiled renderer the drain uses must give swift-mustache's text to the letter: for every shipped
/// template, and for the corners of the Mustache syntax an operator's own template may use.
@Suite("Compiled templates give swift-mustache's text")
struct CompiledTemplateTests {
    static func context(_ invoice: InvoiceDocument, kind: String) -> TemplateValue {
        var values = invoice.templateContext
        if let level = MessageTemplates.reminderNumber(kind) { values["reminder"] = ["number": .text(String(level))] }
        values["kind"] = .text(kind)
        return .group(values)
    }

    @Test func everyShippedTemplateIsCompiledAndRendersAsSwiftMustacheDoes() throws {
        let templates = try MessageTemplates(directory: OutboxContentTests.repository.path + "/config/templates")
        #expect(templates.names.count >= 32)
        var withoutBank = OutboxContentTests.invoice(lines: 3)
        withoutBank.seller.bankAccount = nil
        withoutBank.seller.email = "faktura@example.com"
        let invoices = [OutboxContentTests.invoice(), withoutBank, OutboxContentTests.invoice(customer: "O'Brien \"Q\" <&>")]
        for (name, compiled) in templates.names {
            #expect(compiled, "\(name) is not compiled")
            for invoice in invoices {
                for kind in ["invoice_issued", "reminder_2", "receipt"] {
                    let (library, ours) = templates.renderBoth(name, context: Self.context(invoice, kind: kind))
                    #expect(ours == library, "\(name)")
                }
            }
        }
    }

    /// Standalone lines (with spaces, tabs and CRLF), inverted and nested sections, comments, dotted and
    /// current-value names, escaping and its pragma, missing values.
    static let corners: [String] = [
        "{{#items}}\n  {{name}} {{price}}\n{{/items}}\ntotal\n",
        "  {{#items}}  \r\n\t{{name}}\r\n  {{/items}}\r\nend",
        "{{#items}}{{name}}, {{/items}}{{^items}}none{{/items}}",
        "{{^empty}}\nnothing here\n{{/empty}}\n{{#empty}}never{{/empty}}",
        "{{! a comment }}\n  {{! standalone }}  \nA{{! inline }}B\n",
        "{{#group}}{{#inner}}{{deep}} {{name}} {{title}}{{/inner}}{{/group}}",
        "{{group.inner.deep}} {{group.missing.deep}} {{.title}} {{missing}}|",
        "{{#title}}[{{.}}]{{/title}} {{#group}}{{.name}}{{name}}{{/group}}",
        "<p>{{title}} {{{title}}} {{& title}}</p>",
        "{{% CONTENT_TYPE: TEXT}}{{title}}\n{{% CONTENT_TYPE: HTML}}\n{{title}}\n",
        "{{#items}}\n{{name}}\n{{/items}}  trailing\n{{#items}}{{name}}{{/items}}\n   ",
        "line {{#items}}\n{{name}}\n{{/items}}\nafter",
        "{{ title }} {{#  group  }}{{ name }}{{/  group  }}\n{ { {not a tag}\n",
        "\t{{#items}}\n\t\t{{^name}}x{{/name}}\n\t{{/items}}\n\n\n",
    ]

    static let cornerContext: TemplateValue = [
        "title": "Smith & <Sons> \"quoted\" 'single'",
        "name": "outer",
        "items": .list([["name": "A", "price": "1.00"], ["name": "Bä", "price": "2.50"], ["price": "3"]]),
        "empty": .list([]),
        "group": ["name": "grouped", "inner": ["deep": "d"]],
    ]

    @Test func syntaxCornersRenderAsSwiftMustacheDoes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("compiled-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("en"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (index, source) in Self.corners.enumerated() {
            try source.write(to: folder.appendingPathComponent("en/c\(index).html.mustache"), atomically: true, encoding: .utf8)
            try source.write(to: folder.appendingPathComponent("en/c\(index).text.mustache"), atomically: true, encoding: .utf8)
        }
        let templates = try MessageTemplates(directory: folder.path)
        #expect(templates.names.count == 2 * Self.corners.count)
        for (name, compiled) in templates.names {
            #expect(compiled, "\(name) is not compiled")
            let (library, ours) = templates.renderBoth(name, context: Self.cornerContext)
            #expect(ours == library, "\(name)")
        }
    }

    @Test func templatesWithPartialsOrOtherDelimitersAreLeftToSwiftMustache() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("compiled-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("en"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "Dear {{customer.name}}".write(to: folder.appendingPathComponent("en/greeting.mustache"), atomically: true, encoding: .utf8)
        try "{{> en/greeting}}, invoice {{invoice.number}}"
            .write(to: folder.appendingPathComponent("en/invoice_issued.subject.mustache"), atomically: true, encoding: .utf8)
        try "{{=<% %>=}}Invoice <%invoice.number%>"
            .write(to: folder.appendingPathComponent("en/invoice_issued.text.mustache"), atomically: true, encoding: .utf8)
        let templates = try MessageTemplates(directory: folder.path)
        #expect(templates.names.filter { !$0.compiled }.map(\.name) == ["en/invoice_issued.subject", "en/invoice_issued.text"])
        let context = Self.context(OutboxContentTests.invoice(), kind: "invoice_issued")
        #expect(templates.render(kind: "invoice_issued", part: "subject", language: "en", context: context)
            == "Dear Smith & Söner <AB>, invoice INV-2027-000042")
        #expect(templates.render(kind: "invoice_issued", part: "text", language: "en", context: context)
            == "Invoice INV-2027-000042")
    }
}
