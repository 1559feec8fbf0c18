import BillingDelivery
import BillingDomain
import BillingStore

extension InvoiceDocument {
    /// The invoice as messages show it, with its customer and the configured seller; amounts in the invoice's
    /// currency exactly as `billingctl invoices show` prints them.
    static func load(number: String, store: any BillingStorage, configuration: Configuration) throws -> (InvoiceDocument, Customer) {
        let invoice = try store.invoice(number: number)
        let customer = try store.customer(guid: invoice.customerGuid)
        let currency = Currency(code: invoice.currency)
        func money(_ minor: Int64) -> String { currency?.format(minor) ?? String(minor) }
        // The buyer as at issue; only a row another program wrote without one falls back to the customer now.
        let buyer = invoice.buyer ?? InvoiceBuyer(customer)
        let seller = Seller(
            name: configuration.sellerName, addressLines: configuration.sellerAddress,
            vatNumber: configuration.sellerVatNumber, email: configuration.sellerEmail,
            phone: configuration.sellerPhone, bankAccount: configuration.sellerBankAccount)
        let document = InvoiceDocument(
            seller: seller, customerName: buyer.name, customerAddressLines: buyer.addressLines,
            number: invoice.number, issueDate: invoice.issueDate, dueDate: invoice.dueDate,
            periodStart: invoice.periodStart, periodEnd: invoice.periodEnd, currency: invoice.currency,
            lines: invoice.lines.map {
                Line(description: $0.description ?? $0.sku ?? "", quantity: $0.quantity, unitPrice: $0.unitPrice,
                     vatRate: $0.taxRate, net: money($0.net),
                     discountPercent: (DecimalValue(plain: $0.discountPercent) ?? .zero).isZero ? nil : $0.discountPercent)
            },
            vat: invoice.vat.map { VatRow(rate: $0.rate, net: money($0.net), vat: money($0.vat)) },
            totalExcVat: money(invoice.totalExcVat), totalVat: money(invoice.totalVat),
            totalIncVat: money(invoice.totalIncVat), paid: money(invoice.paid), balance: money(invoice.balance),
            paymentReference: invoice.paymentReference, customerReference: invoice.customerReference,
            supplyDate: invoice.supplyDate, customerNotes: invoice.customerNotes)
        return (document, customer)
    }
}
