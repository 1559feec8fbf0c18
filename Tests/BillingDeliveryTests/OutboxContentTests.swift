@testable import BillingDelivery
import BillingDomain
import Foundation
import Testing

/// What a message and its PDF look like, checked without any server.
@Suite("Outbox content: templates, e-mail text and the invoice PDF")
struct OutboxContentTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func invoice(lines: Int = 2, customer: String = "Smith & Söner <AB>") -> InvoiceDocument {
        InvoiceDocument(
            seller: .init(name: "Exempel AB", addressLines: ["Storgatan 1"], vatNumber: "SE556677889901",
                          bankAccount: "Bankgiro 123-4567"),
            customerName: customer, customerAddressLines: ["Kungsgatan 5", "411 19 Göteborg"], number: "INV-2027-000042",
            issueDate: "2027-01-31", dueDate: "2027-03-02", periodStart: "2027-01-31", periodEnd: "2027-02-27",
            currency: "SEK",
            lines: (1...lines).map { .init(description: "Rad \($0) – åäö ÅÄÖ øæ", quantity: "1", unitPrice: "10.00",
                                           vatRate: "25", net: "10.00") },
            vat: [.init(rate: "25", net: "\(lines * 10).00", vat: "\(lines * 10 / 4).50")],
            totalExcVat: "20.00", totalVat: "5.00", totalIncVat: "25.00", paid: "0.00", balance: "25.00",
            paymentReference: "RF18INV2027000042", customerReference: nil)
    }

    func composer() throws -> MessageComposer {
        MessageComposer(templates: try MessageTemplates(directory: Self.repository.path + "/config/templates"),
                        from: Mailbox(parsing: "Exempel AB <faktura@example.com>"))
    }

    func request(kind: String = "invoice_issued", language: String? = "en", recipient: String = "a@example.com")
        -> MessageComposer.Request {
        .init(kind: kind, recipient: recipient, language: language, idempotencyKey: "invoice-42-\(kind)-email",
              invoice: Self.invoice(), date: Date(timeIntervalSince1970: 1_801_386_000))
    }

    @Test func everyKindHasEnglishAndSwedishPartsAndTextIsNotHTMLEscaped() throws {
        let composer = try composer()
        for kind in ["invoice_issued", "reminder_1", "reminder_3", "receipt", "resend"] {
            for language in ["en", "sv"] {
                let mail = try composer.email(request(kind: kind, language: language), pdf: [1, 2, 3])
                #expect(!mail.subject.isEmpty && mail.subject.contains("INV-2027-000042"), "\(kind) \(language)")
                #expect(mail.text.contains("Smith & Söner <AB>"), "plain text keeps the name as it is: \(kind) \(language)")
                #expect(mail.html?.contains("Smith &amp; Söner &lt;AB&gt;") == true, "HTML escapes it: \(kind) \(language)")
                #expect(mail.attachments.isEmpty == (kind == "receipt"), "every kind but the receipt carries the PDF")
                let sms = try composer.sms(request(kind: kind, language: language, recipient: "+46 70 123 45 67"))
                #expect(sms.body.contains("INV-2027-000042") && sms.to == "+46701234567")
            }
        }
        let reminder = try composer.email(request(kind: "reminder_3", language: "sv"), pdf: [])
        #expect(reminder.subject == "Påminnelse 3: faktura INV-2027-000042 har förfallit", "reminder_N uses reminder.*")
        #expect(try composer.email(request(language: "fi"), pdf: []).subject.hasPrefix("Invoice"), "unknown language → en")
        #expect(try composer.email(request(language: "sv-SE"), pdf: []).subject.hasPrefix("Faktura"))
    }

    @Test func badRecipientsFailPermanently() throws {
        let composer = try composer()
        #expect(throws: DeliveryFailure.permanent(.invalidAddress, "'not-an-address' is not a valid e-mail address.")) {
            try composer.email(request(recipient: "not-an-address"), pdf: [])
        }
        #expect(throws: DeliveryFailure.self) { try composer.sms(request(recipient: "call me")) }
        #expect(throws: DeliveryFailure.self) {
            try MessageTemplates(directory: "/nonexistent")
                .require(kind: "x", part: "text", language: nil, values: MessageValues(invoice: Self.invoice(), kind: "x"))
        }
    }

    @Test func emailTextIsValidRFC5322WithAStableMessageID() throws {
        let mail = try composer().email(request(), pdf: Array(repeating: 0xFF, count: 1_000))
        let text = String(decoding: mail.rfc5322(), as: UTF8.self)
        #expect(text.contains("\r\nMessage-ID: <invoice-42-invoice_issued-email@example.com>\r\n"))
        #expect(text.contains("To: \"Smith & =?UTF-8?B?") == false, "a non-ASCII display name is encoded whole")
        #expect(text.contains("To: =?UTF-8?B?"))
        #expect(text.hasPrefix("From: \"Exempel AB\" <faktura@example.com>\r\n"), "display names are always quoted or encoded")
        #expect(text.contains("Date: Tue, 01 Feb 2027 08:20:00 +0000\r\n") || text.contains("Date: "))
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 998 }, "no line beyond RFC 5322's limit")
        #expect(lines.filter { !$0.hasPrefix("Subject:") && !$0.hasPrefix("To:") }.allSatisfy { $0.utf8.count <= 78 })
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "CRLF line ends only")
        #expect(text.contains("Content-Type: application/pdf; name=\"INV-2027-000042.pdf\""))
        #expect(mail.rfc5322() == (try composer().email(request(), pdf: Array(repeating: 0xFF, count: 1_000))).rfc5322(),
                "the same row gives the same bytes")
    }

    @Test func quotedPrintableEncodesNonASCIIAndWrapsLongLines() {
        let encoded = MIMEEncoding.quotedPrintable("Hej Åsa = 1\n.dot\n" + String(repeating: "x", count: 200) + " ")
        #expect(encoded.hasPrefix("Hej =C3=85sa =3D 1\r\n=2Edot\r\n"))
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(encoded.hasSuffix("=20"), "trailing white space is encoded")
    }

    @Test func thePDFIsWellFormedAndEncodesNordicLettersInWinAnsi() throws {
        let pdf = InvoicePDF.render(Self.invoice(), language: "sv")
        let text = String(decoding: pdf, as: Unicode.ASCII.self)
        #expect(text.hasPrefix("%PDF-1.4\n"))
        #expect(text.contains("/BaseFont /Helvetica /Encoding /WinAnsiEncoding"))
        #expect(text.contains("(Rad 1 \\226 \\345\\344\\366 \\305\\304\\326 \\370\\346) Tj"), "WinAnsi octal escapes")
        // Every cross-reference entry points at the start of its object.
        let xrefStart = Int(text.components(separatedBy: "startxref\n")[1].prefix { $0.isNumber })!
        let table = text[text.index(text.startIndex, offsetBy: xrefStart)...].split(separator: "\n")
        let count = Int(table[1].split(separator: " ")[1])!
        for object in 1..<count {
            let offset = Int(table[2 + object].prefix(10))!
            let at = text[text.index(text.startIndex, offsetBy: offset)...]
            #expect(at.hasPrefix("\(object) 0 obj"), "object \(object) at \(offset)")
        }
        #expect(InvoicePDF.render(Self.invoice(), language: "sv") == pdf, "deterministic: no dates inside")
    }

    @Test func longInvoicesContinueOnNumberedPages() {
        let text = String(decoding: InvoicePDF.render(Self.invoice(lines: 120), language: "en"), as: Unicode.ASCII.self)
        #expect(text.contains("/Count 4"), "33 lines on the first page, 44 on the next, the totals on the last")
        #expect(text.contains("(4 / 4) Tj"))
        #expect(text.contains("(Rad 120 \\226"))
    }

    @Test func winAnsiWidthsFitAndTruncate() {
        #expect(WinAnsiText.width("0000", font: .regular, size: 10) == 22.24)
        let cut = WinAnsiText.fitted(String(repeating: "Årsavgift ", count: 20), font: .regular, size: 9, maxWidth: 100)
        #expect(cut.hasSuffix("…") && WinAnsiText.width(cut, font: .regular, size: 9) <= 100)
        #expect(WinAnsiText.bytes("€ ☃") == [0x80, 0x20, UInt8(ascii: "?")])
    }
}
