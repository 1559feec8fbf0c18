/// An invoice as messages and the PDF show it: every amount already formatted in its currency, every date as
/// text. The engine builds it from the store; delivery only lays it out, so no renderer can round differently.
public struct InvoiceDocument: Sendable, Equatable {
    /// Who issues the invoice (the `[seller]` section of the configuration).
    public struct Seller: Sendable, Equatable {
        public var name: String
        public var addressLines: [String]
        public var vatNumber: String?
        public var email: String?
        public var phone: String?
        public var bankAccount: String?

        public init(name: String, addressLines: [String] = [], vatNumber: String? = nil, email: String? = nil,
                    phone: String? = nil, bankAccount: String? = nil) {
            self.name = name
            self.addressLines = addressLines
            self.vatNumber = vatNumber
            self.email = email
            self.phone = phone
            self.bankAccount = bankAccount
        }
    }

    public struct Line: Sendable, Equatable {
        public var description: String
        public var quantity: String
        public var unitPrice: String
        public var vatRate: String
        public var net: String
        /// The line's discount in percent; nil when it has none.
        public var discountPercent: String?

        public init(description: String, quantity: String, unitPrice: String, vatRate: String, net: String,
                    discountPercent: String? = nil) {
            self.description = description
            self.quantity = quantity
            self.unitPrice = unitPrice
            self.vatRate = vatRate
            self.net = net
            self.discountPercent = discountPercent
        }
    }

    public struct VatRow: Sendable, Equatable {
        public var rate: String
        public var net: String
        public var vat: String

        public init(rate: String, net: String, vat: String) {
            self.rate = rate
            self.net = net
            self.vat = vat
        }
    }

    public var seller: Seller
    public var customerName: String
    public var customerAddressLines: [String]
    public var number: String
    public var issueDate: String
    public var dueDate: String
    public var periodStart: String?
    public var periodEnd: String?
    public var currency: String
    public var lines: [Line]
    public var vat: [VatRow]
    public var totalExcVat: String
    public var totalVat: String
    public var totalIncVat: String
    public var paid: String
    public var balance: String
    public var paymentReference: String
    public var customerReference: String?
    /// The date of the supply, printed beside the issue date when it differs (a late catch-up).
    public var supplyDate: String?
    public var customerNotes: String?

    public init(seller: Seller, customerName: String, customerAddressLines: [String], number: String,
                issueDate: String, dueDate: String, periodStart: String?, periodEnd: String?, currency: String,
                lines: [Line], vat: [VatRow], totalExcVat: String, totalVat: String, totalIncVat: String,
                paid: String, balance: String, paymentReference: String, customerReference: String?,
                supplyDate: String? = nil, customerNotes: String? = nil) {
        self.seller = seller
        self.customerName = customerName
        self.customerAddressLines = customerAddressLines
        self.number = number
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.currency = currency
        self.lines = lines
        self.vat = vat
        self.totalExcVat = totalExcVat
        self.totalVat = totalVat
        self.totalIncVat = totalIncVat
        self.paid = paid
        self.balance = balance
        self.paymentReference = paymentReference
        self.customerReference = customerReference
        self.supplyDate = supplyDate
        self.customerNotes = customerNotes
    }
}
