/// Rounding exact values to minor units, and printing minor units.
extension DecimalValue {
    /// `numerator / denominator` rounded to an integer with `mode`, exactly (no intermediate division).
    ///
    /// The denominator must be positive; negative numerators round symmetrically (`halfUp` of −2.5 is −3), as
    /// credit amounts must mirror debit amounts to the cent.
    public static func roundedQuotient(_ numerator: Int128, _ denominator: Int128, mode: RoundingMode) -> Int128 {
        // |numerator / denominator| rounded never exceeds |numerator| when denominator ≥ 1, so this cannot fail.
        MoneyMath.mulDiv(numerator, 1, denominator, mode)!
    }

    /// `self × 10^exponent` rounded to an integer: the value in minor units of a currency with that exponent.
    ///
    /// `exponent` must be −18…18. A result beyond Int128 saturates at Int128.max / Int128.min, which every caller
    /// then refuses as `AMOUNT_TOO_LARGE` when narrowing to Int64; nothing in here traps on data.
    public func roundedMinorUnits(exponent: Int, mode: RoundingMode) -> Int128 {
        precondition((-18...18).contains(exponent), "exponent \(exponent) is outside −18…18")
        let result: Int128?
        if exponent >= scale {
            result = MoneyMath.product(significand, MoneyMath.pow10(exponent - scale))
        } else {
            result = MoneyMath.mulDiv(significand, 1, MoneyMath.pow10(scale - exponent), mode)
        }
        return result ?? (significand < 0 ? Int128.min : Int128.max)
    }

    /// Minor units as a major-unit string with exactly `exponent` decimals: `86185, 2` → `861.85`, JPY `1000`,
    /// BHD `1.250`, `-5, 2` → `-0.05`. This is the amount format of the JSON API (DESIGN §4).
    public static func formatMinor(_ minor: Int64, exponent: Int) -> String {
        DecimalValue(significand: Int128(minor), scale: exponent).description
    }
}
