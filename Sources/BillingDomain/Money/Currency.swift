/// An ISO 4217 currency and the number of decimals its minor unit has.
///
/// DESIGN §3: amounts are stored as integer minor units, and the exponent is the ISO 4217 one (JPY 0, BHD 3, most
/// 2) because that is the precision an invoice in that currency is legally expressed in.
public struct Currency: Sendable, Hashable, CustomStringConvertible {
    /// The upper-case alphabetic ISO 4217 code, e.g. `SEK`.
    public let code: String
    /// Decimals of the minor unit: 0…4.
    public let exponent: Int

    /// The currency for an upper-case ISO 4217 code in current use; nil for anything else (`sek`, `XAU`, `HRK`).
    public init?(code: String) {
        guard let exponent = Self.iso4217Exponents[code] else { return nil }
        self.code = code
        self.exponent = exponent
    }

    /// As `init(code:)`, but refuses with INVALID_CURRENCY naming the value, for import and configuration paths.
    public init(validatingCode code: String, field: String? = "Currency") throws {
        guard let currency = Currency(code: code) else {
            throw BillingError(
                .invalidCurrency,
                "Currency '\(code)' is not an ISO 4217 currency in use; give an upper-case three-letter code such "
                    + "as EUR, SEK, USD, JPY or BHD.",
                field: field)
        }
        self = currency
    }

    /// Every accepted code, sorted.
    public static var allCodes: [String] { iso4217Exponents.keys.sorted() }

    public var description: String { code }

    /// Minor units as a string with exactly this currency's decimals (`861.85`, JPY `1000`, BHD `1.250`).
    public func format(_ minor: Int64) -> String {
        DecimalValue.formatMinor(minor, exponent: exponent)
    }

    /// A plain decimal amount (see `DecimalValue.init(plain:)`) in minor units, or nil when it is not a plain
    /// decimal, needs more decimals than the currency has (`12.505` SEK: no such amount can be paid), or does not
    /// fit Int64. Trailing zeros beyond the exponent are harmless (`1000.00` JPY is 1000). The sign is kept;
    /// callers decide whether negative amounts make sense.
    public func parseAmount(_ text: String) -> Int64? {
        guard let value = DecimalValue(plain: text), value.fractionDigits <= exponent else { return nil }
        // Exact: the value has no digits beyond the exponent, so the rounding mode never acts.
        return Int64(exactly: value.roundedMinorUnits(exponent: exponent, mode: .down))
    }
}
