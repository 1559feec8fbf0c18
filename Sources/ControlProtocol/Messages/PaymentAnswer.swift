/// `pay`: the payment applied (or found again by its RefNo) and the invoice after it.
public struct PaymentAnswer: Codable, Sendable, Equatable {
    public var paymentId: Int64
    public var amount: String
    public var duplicate: Bool
    public var status: String
    public var paid: String
    public var balance: String
    public var currency: String

    public init(
        paymentId: Int64,
        amount: String,
        duplicate: Bool,
        status: String,
        paid: String,
        balance: String,
        currency: String
    ) {
        self.paymentId = paymentId
        self.amount = amount
        self.duplicate = duplicate
        self.status = status
        self.paid = paid
        self.balance = balance
        self.currency = currency
    }
}
