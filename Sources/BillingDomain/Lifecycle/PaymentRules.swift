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

    /// The payment's date: today (in the invoice's time zone) when none is given. A date after today is refused
    /// (004_4ab6b6f838a3a10b.txt, DESIGN §2): money not yet received cannot lower a balance.
    public static func paymentDate(_ text: String?, today: LocalDate) throws -> LocalDate {
        guard let text else { return today }
        guard let date = LocalDate(iso: text) else {
            throw BillingError(.invalidDate, "Payment date '\(text.prefix(40))' is not YYYY-MM-DD.", field: "date")
        }
        guard date <= today else {
            throw BillingError(.invalidDate, "Payment date \(date) is after today (\(today) in the invoice's time zone); "
                               + "a payment is recorded once the money is received.", field: "date")
        }
        return date
    }

    /// A RefNo already applied to the invoice. The same amount, type and date again is a retried request and
    /// answers the existing payment; anything else under that RefNo would book other money against a reference
    /// that already names a payment, so it is refused (`REFNO_CONFLICT`) and nothing changes.
    public static func checkRepeat(
        refNo: String, existing: (amount: Int64, type: String, date: String),
        amount: Int64, type: PaymentType, date: LocalDate, currency: Currency
    ) throws {
        var differences: [String] = []
        if existing.amount != amount {
            differences.append("amount \(currency.format(existing.amount)), not \(currency.format(amount))")
        }
        if existing.type != type.rawValue { differences.append("type \(existing.type), not \(type.rawValue)") }
        if existing.date != date.description { differences.append("date \(existing.date), not \(date)") }
        guard differences.isEmpty else {
            throw BillingError(
                .refNoConflict,
                "RefNo \(refNo.prefix(100)) is already applied to this invoice with \(differences.joined(separator: ", ")); "
                    + "a different payment needs its own RefNo.",
                field: "ref")
        }
    }
}
