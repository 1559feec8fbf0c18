import BillingDomain
import Testing

@Suite("Rounding")
struct MoneyRoundingTests {
    /// (numerator, denominator, halfUp, halfEven, down, up): halves and near-halves of both signs.
    static let cases: [(Int128, Int128, Int128, Int128, Int128, Int128)] = [
        (5, 2, 3, 2, 2, 3),  // 2.5
        (-5, 2, -3, -2, -2, -3),  // -2.5
        (7, 2, 4, 4, 3, 4),  // 3.5
        (-7, 2, -4, -4, -3, -4),  // -3.5
        (24, 10, 2, 2, 2, 3),  // 2.4
        (-24, 10, -2, -2, -2, -3),  // -2.4
        (26, 10, 3, 3, 2, 3),  // 2.6
        (-26, 10, -3, -3, -2, -3),  // -2.6
        (1, 2, 1, 0, 0, 1),  // 0.5
        (-1, 2, -1, 0, 0, -1),  // -0.5
        (4, 2, 2, 2, 2, 2),  // exact
        (-4, 2, -2, -2, -2, -2),
        (0, 7, 0, 0, 0, 0),
    ]

    @Test("halfUp rounds halves away from zero, halfEven to even, down toward zero, up away from zero",
          arguments: cases.indices)
    func roundingModesOnHalvesOfBothSigns(_ index: Int) {
        let (n, d, halfUp, halfEven, down, up) = Self.cases[index]
        #expect(DecimalValue.roundedQuotient(n, d, mode: .halfUp) == halfUp)
        #expect(DecimalValue.roundedQuotient(n, d, mode: .halfEven) == halfEven)
        #expect(DecimalValue.roundedQuotient(n, d, mode: .down) == down)
        #expect(DecimalValue.roundedQuotient(n, d, mode: .up) == up)
    }

    @Test func roundedQuotientHandlesTheExtremesOfInt128() {
        #expect(DecimalValue.roundedQuotient(Int128.min, 1, mode: .halfUp) == Int128.min)
        #expect(DecimalValue.roundedQuotient(Int128.max, Int128.max, mode: .up) == 1)
        #expect(DecimalValue.roundedQuotient(Int128.min, Int128.max, mode: .down) == -1)
        #expect(DecimalValue.roundedQuotient(Int128.max, 2, mode: .halfUp) == Int128.max / 2 + 1)
        // A half of a huge odd denominator is detected without doubling the remainder.
        #expect(DecimalValue.roundedQuotient(Int128.max / 2 + 1, Int128.max, mode: .halfUp) == 1)
        #expect(DecimalValue.roundedQuotient(Int128.max / 2, Int128.max, mode: .halfUp) == 0)
    }

    @Test func roundingModeRawValuesAreTheImportSpellings() {
        #expect(RoundingMode.allCases.map(\.rawValue) == ["HalfUp", "HalfEven", "Down", "Up"])
        #expect(RoundingMode.default == .halfUp)
        #expect(VatRounding(rawValue: "PerInvoice") == .perInvoice)
    }

    @Test func roundedMinorUnitsRoundsOnceAtTheCurrencyExponent() {
        #expect(moneyDecimal("0.125").roundedMinorUnits(exponent: 2, mode: .halfUp) == 13)
        #expect(moneyDecimal("0.125").roundedMinorUnits(exponent: 2, mode: .halfEven) == 12)
        #expect(moneyDecimal("-0.125").roundedMinorUnits(exponent: 2, mode: .halfUp) == -13)
        #expect(moneyDecimal("-0.125").roundedMinorUnits(exponent: 2, mode: .halfEven) == -12)
        #expect(moneyDecimal("1000").roundedMinorUnits(exponent: 0, mode: .halfUp) == 1000)
        #expect(moneyDecimal("1.25").roundedMinorUnits(exponent: 3, mode: .halfUp) == 1250)
        #expect(moneyDecimal("1249.5").roundedMinorUnits(exponent: -2, mode: .halfUp) == 12)
    }

    @Test func roundedMinorUnitsSaturatesInsteadOfTrapping() {
        let huge = DecimalValue(significand: Int128.max, scale: 0)
        #expect(huge.roundedMinorUnits(exponent: 2, mode: .halfUp) == Int128.max)
        let negativeHuge = DecimalValue(significand: Int128.min, scale: 0)
        #expect(negativeHuge.roundedMinorUnits(exponent: 18, mode: .halfUp) == Int128.min)
    }

    @Test func formatMinorPrintsExactlyTheCurrencyDecimals() {
        #expect(DecimalValue.formatMinor(86185, exponent: 2) == "861.85")
        #expect(DecimalValue.formatMinor(1000, exponent: 0) == "1000")
        #expect(DecimalValue.formatMinor(1250, exponent: 3) == "1.250")
        #expect(DecimalValue.formatMinor(-5, exponent: 2) == "-0.05")
        #expect(DecimalValue.formatMinor(0, exponent: 2) == "0.00")
        #expect(DecimalValue.formatMinor(Int64.min, exponent: 2) == "-92233720368547758.08")
    }
}
