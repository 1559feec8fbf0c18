/// Currency conversion at an exchange rate (the template's CurrencyRate).
extension InvoiceCalculator {
    /// `minor` (in `from`'s minor units) × `rate`, expressed in `to`'s minor units and rounded once with `mode`.
    ///
    /// Exact for every input (256-bit intermediate); a result beyond Int64 throws AMOUNT_TOO_LARGE, never saturates.
    public static func checkedConvert(
        _ minor: Int64, from: Currency, rate: DecimalValue, to: Currency, mode: RoundingMode
    ) throws -> Int64 {
        guard let exact = convertedMinor(minor, from: from, rate: rate, to: to, mode: mode),
              let result = Int64(exactly: exact)
        else {
            throw BillingError(
                .amountTooLarge,
                "\(from.format(minor)) \(from.code) at rate \(rate) exceeds the largest amount billingd stores in "
                    + "\(to.code), \(to.format(Int64.max)).",
                field: "CurrencyRate")
        }
        return result
    }

    private static func convertedMinor(
        _ minor: Int64, from: Currency, rate: DecimalValue, to: Currency, mode: RoundingMode
    ) -> Int128? {
        // minor / 10^from × rate_sig / 10^rate_scale × 10^to, as one fraction.
        let numerator = Int128(minor) * MoneyMath.pow10(to.exponent)  // |minor| < 2^63, 10^to ≤ 10^4: fits
        return MoneyMath.mulDiv(numerator, rate.significand, MoneyMath.pow10(from.exponent + rate.scale), mode)
    }
}
