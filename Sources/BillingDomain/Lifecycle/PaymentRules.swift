/// A payment type (004_4ab6b6f838a3a10b.txt).
public enum PaymentType: String, Sendable, CaseIterable {
    case ach, cash, cc, check
}

public enum PaymentRules {
    /// Parses an amount in major units with at most the currency's decimals ("12.50" SEK, "1000" JPY).
    public static func amount(_ text: String, currency: Currency) throws -> Int64 {
        guard let minor = currency.parseAmount(text) else {
            throw BillingError(
                .invalidAmount,
                "'\(text.prefix(40))' is not an amount in \(currency.code): a plain decimal with at most \(currency.exponent) decimals.",
                field: "amount")
        }
        return minor
    }

    /// The action a payment of `amount` is on an invoice with `balance` left: refused when not positive or
    /// when it would pay more than is owed.
    public static func action(for amount: Int64, balance: Int64, currency: Currency) throws -> InvoiceAction {
        guard amount > 0 else {
            throw BillingError(.invalidAmount, "A payment must be positive; got \(currency.format(amount)).", field: "amount")
        }
        guard amount <= balance else {
            throw BillingError(
                .invalidAmount,
                "The payment of \(currency.format(amount)) \(currency.code) exceeds the balance of \(currency.format(balance)) \(currency.code); over-payments are refused.",
                field: "amount")
        }
        return amount == balance ? .payInFull : .payPartially
    }
}
