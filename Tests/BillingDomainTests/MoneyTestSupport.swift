import BillingDomain
import TestSupport

extension SplitMix64 {
    /// A decimal with `sig` in `significands` and a scale in `scales`.
    mutating func decimal(_ significands: ClosedRange<Int>, scales: ClosedRange<Int>) -> DecimalValue {
        DecimalValue(significand: Int128(int(in: significands)), scale: int(in: scales))
    }
}

/// Test shorthand for a literal decimal; a typo in a literal is a test bug, so it traps.
func moneyDecimal(_ text: String) -> DecimalValue {
    guard let value = DecimalValue(plain: text) else { fatalError("bad decimal literal \(text)") }
    return value
}

func moneyCurrency(_ code: String) -> Currency {
    guard let currency = Currency(code: code) else { fatalError("unknown currency \(code)") }
    return currency
}

/// A validated line from literals; prices default to tax-exclusive, no cost, no discount.
func moneyLine(
    _ quantity: String, _ unitPrice: String, rate: String, discount: String = "0", cost: String = "0",
    inclusive: Bool = false
) throws -> InvoiceLineInput {
    try InvoiceLineInput(
        quantity: moneyDecimal(quantity), unitPrice: moneyDecimal(unitPrice), unitCost: moneyDecimal(cost),
        taxRate: moneyDecimal(rate), discountPercent: moneyDecimal(discount), priceIncludesVat: inclusive)
}
