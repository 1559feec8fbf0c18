/// Lays out an invoice on A4 pages: seller, customer, number, dates, lines, VAT per rate, totals and payment
/// details (000_16d6f9ca07b7faa7.txt: the invoice e-mail carries the invoice as a PDF).
///
/// The same invoice always gives the same bytes (no creation date inside), so a resent attachment is identical.
public enum InvoicePDF {
    private static let pageWidth = 595.0, pageHeight = 842.0, left = 50.0, right = 545.0, bottom = 60.0
    /// The line table: the description's width and the right edges of quantity, unit price, discount (when a
    /// line has one), VAT rate and amount.
    private struct Columns {
        var description = 240.0, quantity = 345.0, unitPrice = 420.0, discount: Double? = nil, vat = 465.0
        var amount = 545.0

        init(discounted: Bool) {
            guard discounted else { return }
            (description, quantity, unitPrice, discount) = (195, 300, 375, 420)
        }
    }

    public static func render(_ invoice: InvoiceDocument, language: String?) -> [UInt8] {
        let label = PDFLabels(language: language)
        let columns = Columns(discounted: invoice.lines.contains { $0.discountPercent != nil })
        var pages: [PDFPage] = []
        var page = PDFPage()
        var y = header(invoice, label: label, on: &page)
        y = tableHeader(label, columns: columns, y: y, on: &page)
        for line in invoice.lines {
            if y < bottom + 40 {
                pages.append(page)
                page = continuation(invoice, label: label)
                y = tableHeader(label, columns: columns, y: pageHeight - 80, on: &page)
            }
            let description = WinAnsiText.fitted(line.description, font: .regular, size: 9, maxWidth: columns.description)
            page.text(description, x: left, y: y)
            page.textRight(line.quantity, right: columns.quantity, y: y)
            page.textRight(line.unitPrice, right: columns.unitPrice, y: y)
            if let right = columns.discount, let discount = line.discountPercent {
                page.textRight("\(discount) %", right: right, y: y)
            }
            page.textRight("\(line.vatRate) %", right: columns.vat, y: y)
            page.textRight(line.net, right: columns.amount, y: y)
            y -= 14
        }
        if let notes = invoice.customerNotes, !notes.isEmpty {
            y -= 6
            for (index, text) in WinAnsiText.wrapped(notes, font: .regular, size: 9, maxWidth: right - left).enumerated() {
                if y < bottom + 20 {
                    pages.append(page)
                    page = continuation(invoice, label: label)
                    y = pageHeight - 80
                }
                if index == 0 {
                    page.text(label.notes, x: left, y: y, font: .bold, size: 8.5)
                    y -= 13
                }
                page.text(text, x: left, y: y)
                y -= 12
            }
        }
        // Totals, VAT breakdown and payment details stay together on one page.
        let closingHeight = Double(invoice.vat.count) * 13 + 150
        if y - closingHeight < bottom {
            pages.append(page)
            page = continuation(invoice, label: label)
            y = pageHeight - 80
        }
        closing(invoice, label: label, y: y, on: &page)
        pages.append(page)
        return document(pages, invoice: invoice, label: label)
    }

    /// A page after the first: the invoice's number at the top.
    private static func continuation(_ invoice: InvoiceDocument, label: PDFLabels) -> PDFPage {
        var page = PDFPage()
        page.text(WinAnsiText.fitted("\(label.invoice) \(invoice.number)", font: .bold, size: 11, maxWidth: right - left),
                  x: left, y: pageHeight - 50, font: .bold, size: 11)
        return page
    }

    // Every text of the header is fitted to its room, like a line's description: the seller's block ends before
    // the dates column at x 340, the buyer's block below both may use the page's width.
    private static func header(_ invoice: InvoiceDocument, label: PDFLabels, on page: inout PDFPage) -> Double {
        let seller = invoice.seller
        page.text(WinAnsiText.fitted(seller.name, font: .bold, size: 14, maxWidth: 400), x: left, y: 790,
                  font: .bold, size: 14)
        var y = 774.0
        for line in seller.addressLines + [seller.vatNumber.map { "\(label.vatNumber) \($0)" }, seller.email, seller.phone]
            .compactMap({ $0 }) where !line.isEmpty {
            page.text(WinAnsiText.fitted(line, font: .regular, size: 8.5, maxWidth: 280), x: left, y: y, size: 8.5)
            y -= 11
        }
        page.textRight(label.invoice.uppercased(), right: right, y: 788, font: .bold, size: 18)
        var metaY = 764.0
        var meta: [(String, String)] = [(label.number, invoice.number), (label.issueDate, invoice.issueDate)]
        // A late catch-up is issued after the supply it bills: both dates are printed (EU VAT Directive art. 226).
        if let supply = invoice.supplyDate, supply != invoice.issueDate { meta.append((label.supplyDate, supply)) }
        meta.append((label.dueDate, invoice.dueDate))
        if let start = invoice.periodStart, let end = invoice.periodEnd { meta.append((label.period, "\(start) – \(end)")) }
        meta.append((label.paymentReference, invoice.paymentReference))
        if let reference = invoice.customerReference, !reference.isEmpty { meta.append((label.yourReference, reference)) }
        for (name, value) in meta {
            page.text(name, x: 340, y: metaY, size: 8.5)
            let room = right - 340 - WinAnsiText.width(name, font: .regular, size: 8.5) - 8
            page.textRight(WinAnsiText.fitted(value, font: .bold, size: 8.5, maxWidth: room), right: right, y: metaY,
                           font: .bold, size: 8.5)
            metaY -= 12
        }
        // The customer block sits where a C5/DL window envelope shows it.
        var customerY = min(y, metaY) - 24
        page.text(label.billTo, x: left, y: customerY, size: 8)
        customerY -= 14
        page.text(WinAnsiText.fitted(invoice.customerName, font: .bold, size: 11, maxWidth: right - left), x: left,
                  y: customerY, font: .bold, size: 11)
        for line in invoice.customerAddressLines where !line.isEmpty {
            customerY -= 13
            page.text(WinAnsiText.fitted(line, font: .regular, size: 10, maxWidth: right - left), x: left, y: customerY,
                      size: 10)
        }
        return customerY - 36
    }

    private static func tableHeader(_ label: PDFLabels, columns: Columns, y: Double, on page: inout PDFPage) -> Double {
        page.text(label.description, x: left, y: y, font: .bold, size: 8.5)
        page.textRight(label.quantity, right: columns.quantity, y: y, font: .bold, size: 8.5)
        page.textRight(label.unitPrice, right: columns.unitPrice, y: y, font: .bold, size: 8.5)
        if let discount = columns.discount {
            page.textRight(label.discount, right: discount, y: y, font: .bold, size: 8.5)
        }
        page.textRight(label.vat, right: columns.vat, y: y, font: .bold, size: 8.5)
        page.textRight(label.amount, right: columns.amount, y: y, font: .bold, size: 8.5)
        page.line(from: left, y - 5, to: right, y - 5)
        return y - 19
    }

    private static func closing(_ invoice: InvoiceDocument, label: PDFLabels, y start: Double, on page: inout PDFPage) {
        var y = start + 6
        page.line(from: left, y, to: right, y)
        y -= 16
        page.text(label.vatBreakdown, x: left, y: y, font: .bold, size: 8.5)
        page.textRight(label.net, right: 420, y: y, font: .bold, size: 8.5)
        page.textRight(label.vat, right: 480, y: y, font: .bold, size: 8.5)
        for row in invoice.vat {
            y -= 13
            page.text("\(row.rate) %", x: left, y: y)
            page.textRight(row.net, right: 420, y: y)
            page.textRight(row.vat, right: 480, y: y)
        }
        y -= 24
        for (name, value) in [(label.totalExcVat, invoice.totalExcVat), (label.totalVat, invoice.totalVat)] {
            page.text(name, x: 340, y: y)
            page.textRight("\(value) \(invoice.currency)", right: right, y: y)
            y -= 13
        }
        page.line(from: 340, y + 4, to: right, y + 4)
        y -= 10
        page.text(label.totalToPay, x: 340, y: y, font: .bold, size: 11)
        page.textRight("\(invoice.totalIncVat) \(invoice.currency)", right: right, y: y, font: .bold, size: 11)
        y -= 40
        page.box(x: left, y: y - 8, width: right - left, height: 44)
        var paymentLine = "\(label.paymentReference): \(invoice.paymentReference)    \(label.dueDate): \(invoice.dueDate)"
        if let account = invoice.seller.bankAccount, !account.isEmpty { paymentLine = "\(label.payTo): \(account)    " + paymentLine }
        page.text(label.payment, x: left + 8, y: y + 20, font: .bold, size: 9)
        page.text(WinAnsiText.fitted(paymentLine, font: .regular, size: 9, maxWidth: right - left - 16), x: left + 8,
                  y: y + 4, size: 9)
    }

    private static func document(_ pages: [PDFPage], invoice: InvoiceDocument, label: PDFLabels) -> [UInt8] {
        var writer = PDFDocumentWriter()
        let catalog = writer.reserve()
        let pageTree = writer.reserve()
        let regular = writer.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        let bold = writer.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
        var kids: [Int] = []
        for (index, page) in pages.enumerated() {
            var content = page
            if pages.count > 1 {
                content.textRight("\(index + 1) / \(pages.count)", right: right, y: 30, size: 8)
            }
            let stream = writer.addStream(content.content)
            kids.append(writer.add("""
                << /Type /Page /Parent \(pageTree) 0 R /MediaBox [0 0 \(Int(pageWidth)) \(Int(pageHeight))] \
                /Resources << /Font << /F1 \(regular) 0 R /F2 \(bold) 0 R >> >> /Contents \(stream) 0 R >>
                """))
        }
        writer.set(pageTree, "<< /Type /Pages /Kids [\(kids.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(kids.count) >>")
        writer.set(catalog, "<< /Type /Catalog /Pages \(pageTree) 0 R >>")
        let info = writer.add("<< /Title \(WinAnsiText.literal("\(label.invoice) \(invoice.number)")) /Author \(WinAnsiText.literal(invoice.seller.name)) /Producer (billingd) >>")
        return writer.bytes(root: catalog, info: info)
    }
}

/// The PDF's fixed words in the customer's language (English unless Swedish is asked for).
struct PDFLabels {
    var invoice = "Invoice", number = "Invoice number", issueDate = "Invoice date", dueDate = "Due date"
    var period = "Period", paymentReference = "Payment reference", yourReference = "Your reference"
    var supplyDate = "Supply date", discount = "Discount", notes = "Notes"
    var billTo = "Bill to", description = "Description", quantity = "Qty", unitPrice = "Unit price", vat = "VAT"
    var amount = "Amount", vatBreakdown = "VAT by rate", net = "Net", totalExcVat = "Total excl. VAT"
    var totalVat = "VAT", totalToPay = "Total to pay", payment = "Payment", payTo = "Pay to", vatNumber = "VAT no."

    init(language: String?) {
        guard language?.lowercased().hasPrefix("sv") == true else { return }
        invoice = "Faktura"; number = "Fakturanummer"; issueDate = "Fakturadatum"; dueDate = "Förfallodatum"
        period = "Period"; paymentReference = "Betalningsreferens"; yourReference = "Er referens"
        supplyDate = "Leveransdatum"; discount = "Rabatt"; notes = "Meddelande"
        billTo = "Faktureras"; description = "Beskrivning"; quantity = "Antal"; unitPrice = "À-pris"; vat = "Moms"
        amount = "Belopp"; vatBreakdown = "Moms per sats"; net = "Netto"; totalExcVat = "Summa exkl. moms"
        totalVat = "Moms"; totalToPay = "Att betala"; payment = "Betalning"; payTo = "Betala till"
        vatNumber = "Momsreg.nr"
    }
}
