/// `invoices list`: one page, newest first.
public struct InvoiceListAnswer: Codable, Sendable, Equatable {
    public var invoices: [InvoiceSummary]
    public var next: String?

    public init(invoices: [InvoiceSummary], next: String?) {
        self.invoices = invoices
        self.next = next
    }
}

/// One invoice in a list.
public struct InvoiceSummary: Codable, Sendable, Equatable {
    public var id: Int64
    public var number: String
    public var status: String
    public var templateId: Int64?
    public var issueDate: String
    public var dueDate: String
    public var currency: String
    public var totalIncVat: String
    public var balance: String

    public init(
        id: Int64,
        number: String,
        status: String,
        templateId: Int64?,
        issueDate: String,
        dueDate: String,
        currency: String,
        totalIncVat: String,
        balance: String
    ) {
        self.id = id
        self.number = number
        self.status = status
        self.templateId = templateId
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.currency = currency
        self.totalIncVat = totalIncVat
        self.balance = balance
    }
}

/// `invoices show`: the invoice with its buyer snapshot, lines, VAT, payments and history.
public struct InvoiceAnswer: Codable, Sendable, Equatable {
    public var id: Int64
    public var number: String
    public var status: String
    public var templateId: Int64?
    public var runIndex: Int?
    public var runAt: String?
    public var issueDate: String
    public var supplyDate: String
    public var dueDate: String
    public var periodStart: String?
    public var periodEnd: String?
    public var customerGuid: String
    public var currency: String
    public var currencyRate: String
    public var totals: Totals
    public var vat: [VatShare]
    public var converted: ConvertedTotals?
    public var paid: String
    public var balance: String
    public var paymentReference: String
    public var customerReference: String?
    public var customerNotes: String?
    public var buyer: InvoiceBuyerAnswer?
    public var lines: [InvoiceLineAnswer]
    public var payments: [InvoicePaymentAnswer]
    public var history: [InvoiceEventAnswer]

    public init(
        id: Int64,
        number: String,
        status: String,
        templateId: Int64?,
        runIndex: Int?,
        runAt: String?,
        issueDate: String,
        supplyDate: String,
        dueDate: String,
        periodStart: String?,
        periodEnd: String?,
        customerGuid: String,
        currency: String,
        currencyRate: String,
        totals: Totals,
        vat: [VatShare],
        converted: ConvertedTotals?,
        paid: String,
        balance: String,
        paymentReference: String,
        customerReference: String?,
        customerNotes: String?,
        buyer: InvoiceBuyerAnswer?,
        lines: [InvoiceLineAnswer],
        payments: [InvoicePaymentAnswer],
        history: [InvoiceEventAnswer]
    ) {
        self.id = id
        self.number = number
        self.status = status
        self.templateId = templateId
        self.runIndex = runIndex
        self.runAt = runAt
        self.issueDate = issueDate
        self.supplyDate = supplyDate
        self.dueDate = dueDate
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.customerGuid = customerGuid
        self.currency = currency
        self.currencyRate = currencyRate
        self.totals = totals
        self.vat = vat
        self.converted = converted
        self.paid = paid
        self.balance = balance
        self.paymentReference = paymentReference
        self.customerReference = customerReference
        self.customerNotes = customerNotes
        self.buyer = buyer
        self.lines = lines
        self.payments = payments
        self.history = history
    }
}

/// An invoice's totals in the book-keeping currency, at the invoice's CurrencyRate.
public struct ConvertedTotals: Codable, Sendable, Equatable {
    public var currency: String
    public var rate: String
    public var excVat: String
    public var vat: String
    public var incVat: String

    public init(currency: String, rate: String, excVat: String, vat: String, incVat: String) {
        self.currency = currency
        self.rate = rate
        self.excVat = excVat
        self.vat = vat
        self.incVat = incVat
    }
}

/// The buyer as the invoice was issued to.
public struct InvoiceBuyerAnswer: Codable, Sendable, Equatable {
    public var name: String
    public var addressLine1: String?
    public var addressLine2: String?
    public var postalCode: String?
    public var city: String?
    public var country: String?

    public init(
        name: String,
        addressLine1: String?,
        addressLine2: String?,
        postalCode: String?,
        city: String?,
        country: String?
    ) {
        self.name = name
        self.addressLine1 = addressLine1
        self.addressLine2 = addressLine2
        self.postalCode = postalCode
        self.city = city
        self.country = country
    }
}

/// One invoice line with its computed amounts.
public struct InvoiceLineAnswer: Codable, Sendable, Equatable {
    public var lineGuid: String?
    public var description: String?
    public var sku: String?
    public var quantity: String
    public var unitPrice: String
    public var discountPercent: String
    public var taxRate: String
    public var net: String
    public var vat: String
    public var gross: String

    public init(
        lineGuid: String?,
        description: String?,
        sku: String?,
        quantity: String,
        unitPrice: String,
        discountPercent: String,
        taxRate: String,
        net: String,
        vat: String,
        gross: String
    ) {
        self.lineGuid = lineGuid
        self.description = description
        self.sku = sku
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.discountPercent = discountPercent
        self.taxRate = taxRate
        self.net = net
        self.vat = vat
        self.gross = gross
    }
}

/// A payment applied to the invoice.
public struct InvoicePaymentAnswer: Codable, Sendable, Equatable {
    public var id: Int64
    public var amount: String
    public var type: String
    public var refNo: String?
    public var paymentDate: String
    public var payerName: String?
    public var payerEmail: String?
    public var notes: String?
    public var at: String

    public init(
        id: Int64,
        amount: String,
        type: String,
        refNo: String?,
        paymentDate: String,
        payerName: String?,
        payerEmail: String?,
        notes: String?,
        at: String
    ) {
        self.id = id
        self.amount = amount
        self.type = type
        self.refNo = refNo
        self.paymentDate = paymentDate
        self.payerName = payerName
        self.payerEmail = payerEmail
        self.notes = notes
        self.at = at
    }
}

/// One event of the invoice's history (issued, sent, failed, reminded, paid, …).
public struct InvoiceEventAnswer: Codable, Sendable, Equatable {
    public var type: String
    public var at: String
    public var channel: String?
    public var target: String?
    public var errorCode: String?
    public var errorMessage: String?
    public var detail: String?

    public init(
        type: String,
        at: String,
        channel: String?,
        target: String?,
        errorCode: String?,
        errorMessage: String?,
        detail: String?
    ) {
        self.type = type
        self.at = at
        self.channel = channel
        self.target = target
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.detail = detail
    }
}
