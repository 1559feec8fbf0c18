/// What one message's templates see: `invoice`, `customer`, `seller`, `kind` and, for a reminder, `reminder.number`,
/// each a group looked into by name (`TemplateGroup`), straight from the invoice.
///
/// Absent and empty values are nil rather than empty text, so a template's
/// `{{#seller.bankAccount}}…{{/seller.bankAccount}}` section shows only when there is one; line and VAT values stay
/// even when empty, as they always did.
///
/// A class, so each group below it is one reference that swift-mustache boxes as `Any` without allocating.
final class MessageValues: Sendable {
    let invoice: InvoiceDocument
    let kind: String
    /// The dunning level of a `reminder_N` kind, as `{{reminder.number}}` prints it.
    let reminderNumber: String?

    init(invoice: InvoiceDocument, kind: String) {
        self.invoice = invoice
        self.kind = kind
        reminderNumber = MessageTemplates.reminderNumber(kind).map(String.init)
    }

    /// `{{invoice.number}}`, `{{#invoice.lines}}`, …
    struct Invoice {
        let values: MessageValues
    }

    /// `{{customer.name}}`
    struct Customer {
        let values: MessageValues
    }

    /// `{{seller.name}}`, `{{#seller.bankAccount}}`, …
    struct Seller {
        let values: MessageValues
    }

    /// `{{reminder.number}}`
    struct Reminder {
        let number: String
    }

    /// `{{description}}`, … inside `{{#invoice.lines}}`
    struct Line {
        let line: InvoiceDocument.Line
    }

    /// `{{rate}}`, `{{net}}` and `{{vat}}` inside `{{#invoice.vat}}`
    struct VatRow {
        let row: InvoiceDocument.VatRow
    }
}

extension MessageValues: TemplateGroup {
    func child(named name: String) -> Any? {
        switch name {
        case "invoice": return Invoice(values: self)
        case "customer": return Customer(values: self)
        case "seller": return Seller(values: self)
        // A String, so that `{{>*kind}}` can name a partial (swift-mustache takes a dynamic partial's name only
        // from a String).
        case "kind": return kind
        case "reminder": return reminderNumber.map(Reminder.init)
        default: return nil
        }
    }
}

extension MessageValues.Invoice: TemplateGroup {
    func child(named name: String) -> Any? {
        let invoice = values.invoice
        switch name {
        case "number": return TemplateText(present: invoice.number)
        case "issueDate": return TemplateText(present: invoice.issueDate)
        case "dueDate": return TemplateText(present: invoice.dueDate)
        case "periodStart": return TemplateText(present: invoice.periodStart)
        case "periodEnd": return TemplateText(present: invoice.periodEnd)
        case "currency": return TemplateText(present: invoice.currency)
        case "totalExcVat": return TemplateText(present: invoice.totalExcVat)
        case "totalVat": return TemplateText(present: invoice.totalVat)
        case "totalIncVat": return TemplateText(present: invoice.totalIncVat)
        case "paid": return TemplateText(present: invoice.paid)
        case "balance": return TemplateText(present: invoice.balance)
        case "paymentReference": return TemplateText(present: invoice.paymentReference)
        case "customerReference": return TemplateText(present: invoice.customerReference)
        case "supplyDate": return TemplateText(present: invoice.supplyDate)
        case "customerNotes": return TemplateText(present: invoice.customerNotes)
        // Only when something is left to pay: a 0.00 invoice is Paid at issue, and its message must not ask for
        // "0.00" by a due date.
        case "amountDue":
            return invoice.balance.contains(where: { ("1"..."9").contains($0) }) ? TemplateText(invoice.balance) : nil
        case "lines": return TemplateList(invoice.lines.map(MessageValues.Line.init))
        case "vat": return TemplateList(invoice.vat.map(MessageValues.VatRow.init))
        default: return nil
        }
    }
}

extension MessageValues.Customer: TemplateGroup {
    /// The name even when empty, as it always was.
    func child(named name: String) -> Any? { name == "name" ? TemplateText(values.invoice.customerName) : nil }
}

extension MessageValues.Seller: TemplateGroup {
    func child(named name: String) -> Any? {
        let seller = values.invoice.seller
        switch name {
        case "name": return TemplateText(present: seller.name)
        case "email": return TemplateText(present: seller.email)
        case "phone": return TemplateText(present: seller.phone)
        case "bankAccount": return TemplateText(present: seller.bankAccount)
        case "vatNumber": return TemplateText(present: seller.vatNumber)
        default: return nil
        }
    }
}

extension MessageValues.Reminder: TemplateGroup {
    func child(named name: String) -> Any? { name == "number" ? TemplateText(number) : nil }
}

extension MessageValues.Line: TemplateGroup {
    func child(named name: String) -> Any? {
        switch name {
        case "description": return TemplateText(line.description)
        case "quantity": return TemplateText(line.quantity)
        case "unitPrice": return TemplateText(line.unitPrice)
        case "vatRate": return TemplateText(line.vatRate)
        case "net": return TemplateText(line.net)
        default: return nil
        }
    }
}

extension MessageValues.VatRow: TemplateGroup {
    func child(named name: String) -> Any? {
        switch name {
        case "rate": return TemplateText(row.rate)
        case "net": return TemplateText(row.net)
        case "vat": return TemplateText(row.vat)
        default: return nil
        }
    }
}
