import BillingDomain
import Testing

@Suite("DecimalValue")
struct MoneyDecimalValueTests {
    @Test("only plain decimals parse: no comma, exponent, plus sign, spaces or bare point", arguments: [
        "249,00", "1e5", "1E5", "+1", " 1", "1 ", "1.", ".5", "", "-", "--1", "1.2.3", "0x10", "１", "1_000", "-.5",
        "NaN", "∞",
    ])
    func plainParsingRefusesEverythingButPlainDecimals(_ text: String) {
        #expect(DecimalValue(plain: text) == nil)
    }

    @Test func plainParsingKeepsTheWrittenScale() throws {
        let value = try #require(DecimalValue(plain: "249.00"))
        #expect(value.significand == 24900)
        #expect(value.scale == 2)
        #expect(value.description == "249.00")
        #expect(try #require(DecimalValue(plain: "-0.05")).description == "-0.05")
        #expect(try #require(DecimalValue(plain: "007")).description == "7")
    }

    @Test func negativeZeroPrintsWithoutSign() throws {
        let value = try #require(DecimalValue(plain: "-0.00"))
        #expect(value.description == "0.00")
        #expect(!value.isNegative)
        #expect(value.isZero)
    }

    @Test func plainParsingLimitsIntegerDigitsTo30AndFractionDigitsTo18() {
        let thirty = String(repeating: "9", count: 30)
        #expect(DecimalValue(plain: thirty) != nil)
        #expect(DecimalValue(plain: thirty + "9") == nil)
        #expect(DecimalValue(plain: "0." + String(repeating: "1", count: 18)) != nil)
        #expect(DecimalValue(plain: "0." + String(repeating: "1", count: 19)) == nil)
        // 30 + 18 digits exceed Int128; refused rather than rounded.
        #expect(DecimalValue(plain: thirty + "." + String(repeating: "9", count: 18)) == nil)
    }

    @Test func equalityAndHashingAreNumericSo1_50Equals1_5() {
        let a = moneyDecimal("1.50"), b = moneyDecimal("1.5")
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(Set([a, b, moneyDecimal("1.500000")]).count == 1)
        #expect(a.description == "1.50")
        #expect(a.normalized.description == "1.5")
        #expect(moneyDecimal("2.000").normalized.description == "2")
    }

    @Test func fractionDigitsCountsOnlySignificantDigits() {
        #expect(moneyDecimal("1.50").fractionDigits == 1)
        #expect(moneyDecimal("3.000000000").fractionDigits == 0)
        #expect(moneyDecimal("0.1234567").fractionDigits == 7)
    }

    @Test func orderingIsNumericAcrossScales() {
        #expect(moneyDecimal("1.5") < moneyDecimal("1.51"))
        #expect(moneyDecimal("-2") < moneyDecimal("-1.999999999999999999"))
        #expect(!(moneyDecimal("1.50") < moneyDecimal("1.5")))
        let sorted = ["25", "7.5", "0", "12", "6.00"].map(moneyDecimal).sorted().map(\.description)
        #expect(sorted == ["0", "6.00", "7.5", "12", "25"])
    }

    @Test func orderingDoesNotOverflowWhenAligningExtremeScales() {
        let huge = DecimalValue(significand: Int128.max, scale: 0)
        let tiny = DecimalValue(significand: 1, scale: 18)
        #expect(tiny < huge)
        #expect(DecimalValue(significand: Int128.min, scale: 0) < DecimalValue(significand: -1, scale: 18))
    }

    @Test func additionAndSubtractionAlignScalesExactly() {
        #expect((moneyDecimal("0.1") + moneyDecimal("0.2")) == moneyDecimal("0.3"))
        #expect((moneyDecimal("1.50") + moneyDecimal("1"))?.description == "2.50")
        #expect((moneyDecimal("1") - moneyDecimal("1.005"))?.description == "-0.005")
    }

    @Test func multiplicationIsExactAndReportsWhatCannotBeRepresented() {
        #expect((moneyDecimal("1.5") * moneyDecimal("0.25"))?.description == "0.375")
        #expect((moneyDecimal("0.000000001") * moneyDecimal("0.000000001"))?.description == "0.000000000000000001")
        let tooFine = moneyDecimal("0.0000000001")
        #expect(tooFine * tooFine == nil)  // the exact product needs 20 fraction digits; rounding it would be a lie
        let big = DecimalValue(significand: Int128.max, scale: 0)
        #expect(big * DecimalValue(2) == nil)
        #expect(big.multipliedReportingOverflow(by: DecimalValue(2)).overflow)
        #expect(big + DecimalValue(1) == nil)
        #expect(DecimalValue(significand: Int128.min, scale: 0) - DecimalValue(1) == nil)
        #expect(DecimalValue(significand: Int128.min, scale: 0).negatedReportingOverflow().overflow)
        // Trailing zeros are dropped to fit the scale limit rather than refusing an exact product.
        let tenth = DecimalValue(significand: 10, scale: 18)
        #expect((tenth * DecimalValue(significand: 10, scale: 2))?.description == "0.000000000000000001")
    }

    @Test func aligningForAdditionReportsOverflowInsteadOfTrapping() {
        let big = DecimalValue(significand: Int128.max / 10, scale: 0)
        #expect(big + moneyDecimal("0.000000000000000001") == nil)
    }
}
