/// One invoice line as the VAT calculation sees it, validated on construction.
///
/// The limits keep every intermediate of `InvoiceCalculator` inside Int128 (quantity ≤ 10^6 with 6 decimals, price
/// < 10^9 with 6 decimals, percentages with 4 decimals: the exact line amount before rounding has a numerator below
/// 10^38) and match DESIGN §2's "at least 4 decimals for quantity, 6 for unit price". Because the stored values are
/// immutable, a line that exists is a line the calculator can compute without trapping.
public struct InvoiceLineInput: Sendable, Hashable {
    public static let maxQuantity = DecimalValue(1_000_000)
    public static let priceLimit = DecimalValue(1_000_000_000)
    public static let maxQuantityDecimals = 6
    public static let maxPriceDecimals = 6
    public static let maxPercentDecimals = 4

    public let quantity: DecimalValue
    public let unitPrice: DecimalValue
    public let unitCost: DecimalValue
    /// VAT rate in percent, e.g. 25 or 7.5.
    public let taxRate: DecimalValue
    /// Discount in percent of quantity × unit price.
    public let discountPercent: DecimalValue
    /// True when `unitPrice` is a gross (VAT-inclusive) price to be split into net and VAT.
    public let priceIncludesVat: Bool

    /// Throws BillingError (INVALID_QUANTITY, INVALID_PRICE, INVALID_TAX_RATE, INVALID_DISCOUNT) with `field` set
    /// to the source field name (`Quantity`, `UnitPrice`, `UnitCost`, `TaxRate`, `DiscountPercent`).
    public init(
        quantity: DecimalValue, unitPrice: DecimalValue, unitCost: DecimalValue = .zero, taxRate: DecimalValue,
        discountPercent: DecimalValue = .zero, priceIncludesVat: Bool = false
    ) throws {
        // Credit lines (negative quantities) are not billed by templates; a zero quantity is an empty line that
        // would still print, so both are refused.
        try Self.check(
            quantity, code: .invalidQuantity, field: "Quantity", name: "Quantity",
            valid: quantity > .zero && quantity <= Self.maxQuantity, decimals: Self.maxQuantityDecimals,
            range: "greater than 0 and at most 1000000")
        try Self.check(
            unitPrice, code: .invalidPrice, field: "UnitPrice", name: "Unit price",
            valid: !unitPrice.isNegative && unitPrice < Self.priceLimit, decimals: Self.maxPriceDecimals,
            range: "at least 0 and less than 1000000000")
        try Self.check(
            unitCost, code: .invalidPrice, field: "UnitCost", name: "Unit cost",
            valid: !unitCost.isNegative && unitCost < Self.priceLimit, decimals: Self.maxPriceDecimals,
            range: "at least 0 and less than 1000000000")
        try Self.check(
            taxRate, code: .invalidTaxRate, field: "TaxRate", name: "Tax rate",
            valid: !taxRate.isNegative && taxRate <= DecimalValue(100), decimals: Self.maxPercentDecimals,
            range: "a percentage from 0 to 100")
        try Self.check(
            discountPercent, code: .invalidDiscount, field: "DiscountPercent", name: "Discount",
            valid: !discountPercent.isNegative && discountPercent <= DecimalValue(100),
            decimals: Self.maxPercentDecimals, range: "a percentage from 0 to 100")
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.unitCost = unitCost
        self.taxRate = taxRate
        self.discountPercent = discountPercent
        self.priceIncludesVat = priceIncludesVat
    }

    private static func check(
        _ value: DecimalValue, code: BillingError.Code, field: String, name: String, valid: Bool, decimals: Int,
        range: String
    ) throws {
        guard valid else {
            throw BillingError(
                code, "\(name) \(value) is out of range; it must be \(range), with at most \(decimals) decimals.",
                field: field)
        }
        guard value.fractionDigits <= decimals else {
            throw BillingError(
                code,
                "\(name) \(value) has \(value.fractionDigits) decimals; at most \(decimals) are allowed, and it must "
                    + "be \(range).",
                field: field)
        }
    }
}
