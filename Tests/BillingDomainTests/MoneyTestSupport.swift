import BillingDomain

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator, so every property-test failure is reproducible
/// from the seed printed with it, on any toolchain (the standard library's `random(in:using:)` may change).
struct MoneySplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `range` (modulo bias is irrelevant for test-case generation).
    mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % span)
    }

    mutating func bool() -> Bool { next() & 1 == 1 }

    mutating func pick<T>(_ items: [T]) -> T { items[int(in: 0...(items.count - 1))] }

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
