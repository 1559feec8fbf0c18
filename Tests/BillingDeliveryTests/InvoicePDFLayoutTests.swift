@testable import BillingDelivery
import BillingTestKit
import Foundation
import Testing

/// The PDF's text stays on the page whatever the length of what it prints, and its cost grows with the text's
/// length, not its square.
@Suite("Invoice PDF layout")
struct InvoicePDFLayoutTests {
    /// Every word's box as `pdftotext -bbox` finds it: (xMin, xMax, text).
    private func words(_ pdf: [UInt8]) throws -> [(xMin: Double, xMax: Double, text: String)] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("layout-\(UUID().uuidString).pdf")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(pdf).write(to: file)
        let html = try runProgram("/usr/bin/pdftotext", ["-bbox", file.path, "-"]).stdout
        let pattern = try NSRegularExpression(pattern: #"<word xMin="([0-9.]+)" yMin="[0-9.]+" xMax="([0-9.]+)" yMax="[0-9.]+">([^<]*)</word>"#)
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
            let group = { (i: Int) in String(html[Range(match.range(at: i), in: html)!]) }
            return (Double(group(1))!, Double(group(2))!, group(3))
        }
    }

    @Test func longBuyerNamesAndAddressesAreFittedWithinThePage() throws {
        var invoice = OutboxContentTests.invoice()
        invoice.customerName = String(repeating: "Aktiebolaget Långt Namn ", count: 40)
        invoice.customerAddressLines = [String(repeating: "Kungsgatan 5 ", count: 80), "411 19 Göteborg"]
        invoice.seller.name = String(repeating: "Exempel ", count: 100)
        invoice.seller.addressLines = [String(repeating: "Storgatan 1 ", count: 100)]
        invoice.customerReference = String(repeating: "PO-4711 ", count: 120)
        let found = try words(InvoicePDF.render(invoice, language: "en"))
        #expect(found.contains { $0.text == "Aktiebolaget" } && found.contains { $0.text == "Kungsgatan" })
        let outside = found.filter { $0.xMin < 49 || $0.xMax > 546 }
        #expect(outside.isEmpty, "beyond the margins: \(outside.prefix(5))")
    }

    @Test func longNotesWrapWithinTheMargins() throws {
        var invoice = OutboxContentTests.invoice()
        invoice.customerNotes = String(repeating: "Tack för att du handlar hos oss. ", count: 100)
        let found = try words(InvoicePDF.render(invoice, language: "sv"))
        #expect(found.filter { $0.text == "handlar" }.count == 100, "every word of the notes printed")
        #expect(found.filter { $0.xMin < 49 || $0.xMax > 546 }.isEmpty)
    }

    @Test func aThousandLinesOfThousandCharacterDescriptionsRender() throws {
        var invoice = OutboxContentTests.invoice(lines: 1_000)
        invoice.lines = invoice.lines.enumerated().map { index, line in
            var line = line
            line.description = "Rad \(index + 1) " + String(repeating: "Webbhotell årsavgift ", count: 48)
            return line
        }
        let pdf = InvoicePDF.render(invoice, language: "en")
        let text = String(decoding: pdf, as: Unicode.ASCII.self)
        #expect(text.contains("(Rad 1000 Webbhotell"))
        // 33 lines on the first page, 44 on each next one, the totals after them: at least 23 numbered pages.
        let pages = Int(text.components(separatedBy: "/Count ")[1].prefix { $0.isNumber }) ?? 0
        #expect(pages >= 23 && text.contains("(\(pages) / \(pages)) Tj"), "\(pages) pages")
        let found = try words(pdf)
        #expect(found.filter { $0.xMin < 49 || $0.xMax > 546 }.isEmpty)
    }
}
