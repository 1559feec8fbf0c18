/// Lays out an invoice on A4 pages: seller, customer, number, dates, lines, VAT per rate, totals and payment
/// details (000_16d6f9ca07b7faa7.txt: the invoice e-mail carries the invoice as a PDF).
///
/// The same invoice always gives the same bytes (no creation date inside), so a resent attachment is identical.
public enum InvoicePDF {
    private static let pageWidth = 595.0, pageHeight = 842.0, left = 50.0, right = 545.0, bottom = 60.0
    // Column right edges: quantity, unit price, VAT rate, amount.
    private static let columns = (quantity: 345.0, unitPrice: 420.0, vat: 465.0, amount: 545.0)

    public static func render(_ invoice: InvoiceDocument, language: String?) -> [UInt8] {
        let label = PDFLabels(language: language)
        var pages: [PDFPage] = []
        var page = PDFPage()
        var y = header(invoice, label: label, on: &page)
        y = tableHeader(label, y: y, on: &page)
        for line in invoice.lines {
            if y < bottom + 40 {
                pages.append(page)
                page = PDFPage()
                page.text("\(label.invoice) \(invoice.number)", x: left, y: pageHeight - 50, font: .bold, size: 11)
                y = tableHeader(label, y: pageHeight - 80, on: &page)
            }
            let description = WinAnsiText.fitted(line.description, font: .regular, size: 9, maxWidth: 240)
            page.text(description, x: left, y: y)
            page.textRight(line.quantity, right: columns.quantity, y: y)
            page.textRight(line.unitPrice, right: columns.unitPrice, y: y)
            page.textRight("\(line.vatRate) %", right: columns.vat, y: y)
            page.textRight(line.net, right: columns.amount, y: y)
            y -= 14
        }
        // Totals, VAT breakdown and payment details stay together on one page.
        let closingHeight = Double(invoice.vat.count) * 13 + 150
        if y - closingHeight < bottom {
            pages.append(page)
            page = PDFPage()
            page.text("\(label.invoice) \(invoice.number)", x: left, y: pageHeight - 50, font: .bold, size: 11)
            y = pageHeight - 80
        }
        closing(invoice, label: label, y: y, on: &page)
        pages.append(page)
        return document(pages, invoice: invoice, label: label)
    }

    private static func header(_ invoice: InvoiceDocument, label: PDFLabels, on page: inout PDFPage) -> Double {
        let seller = invoice.seller
        page.text(seller.name, x: left, y: 790, font: .bold, size: 14)
        var y = 774.0
        for line in seller.addressLines + [seller.vatNumber.map { "\(label.vatNumber) \($0)" }, seller.email, seller.phone]
            .compactMap({ $0 }) where !line.isEmpty {
            page.text(line, x: left, y: y, size: 8.5)
            y -= 11
        }
        page.textRight(label.invoice.uppercased(), right: right, y: 788, font: .bold, size: 18)
        var metaY = 764.0
        var meta: [(String, String)] = [(label.number, invoice.number), (label.issueDate, invoice.issueDate),
                                        (label.dueDate, invoice.dueDate)]
        if let start = invoice.periodStart, let end = invoice.periodEnd { meta.append((label.period, "\(start) – \(end)")) }
        meta.append((label.paymentReference, invoice.paymentReference))
        if let reference = invoice.customerReference, !reference.isEmpty { meta.append((label.yourReference, reference)) }
        for (name, value) in meta {
            page.text(name, x: 340, y: metaY, size: 8.5)
            page.textRight(value, right: right, y: metaY, font: .bold, size: 8.5)
            metaY -= 12
        }
        // The customer block sits where a C5/DL window envelope shows it.
        var customerY = min(y, metaY) - 24
        page.text(label.billTo, x: left, y: customerY, size: 8)
        customerY -= 14
        page.text(invoice.customerName, x: left, y: customerY, font: .bold, size: 11)
        for line in invoice.customerAddressLines where !line.isEmpty {
            customerY -= 13
            page.text(line, x: left, y: customerY, size: 10)
        }
        return customerY - 36
    }

    private static func tableHeader(_ label: PDFLabels, y: Double, on page: inout PDFPage) -> Double {
        page.text(label.description, x: left, y: y, font: .bold, size: 8.5)
        page.textRight(label.quantity, right: columns.quantity, y: y, font: .bold, size: 8.5)
        page.textRight(label.unitPrice, right: columns.unitPrice, y: y, font: .bold, size: 8.5)
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
        page.text(paymentLine, x: left + 8, y: y + 4, size: 9)
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
    var billTo = "Bill to", description = "Description", quantity = "Qty", unitPrice = "Unit price", vat = "VAT"
    var amount = "Amount", vatBreakdown = "VAT by rate", net = "Net", totalExcVat = "Total excl. VAT"
    var totalVat = "VAT", totalToPay = "Total to pay", payment = "Payment", payTo = "Pay to", vatNumber = "VAT no."

    init(language: String?) {
        guard language?.lowercased().hasPrefix("sv") == true else { return }
        invoice = "Faktura"; number = "Fakturanummer"; issueDate = "Fakturadatum"; dueDate = "Förfallodatum"
        period = "Period"; paymentReference = "Betalningsreferens"; yourReference = "Er referens"
        billTo = "Faktureras"; description = "Beskrivning"; quantity = "Antal"; unitPrice = "À-pris"; vat = "Moms"
        amount = "Belopp"; vatBreakdown = "Moms per sats"; net = "Netto"; totalExcVat = "Summa exkl. moms"
        totalVat = "Moms"; totalToPay = "Att betala"; payment = "Betalning"; payTo = "Betala till"
        vatNumber = "Momsreg.nr"
    }
}
