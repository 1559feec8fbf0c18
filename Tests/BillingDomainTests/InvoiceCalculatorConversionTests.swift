import BillingDomain
import Testing

@Suite("InvoiceCalculator.convert")
struct InvoiceCalculatorConversionTests {
    let sek = moneyCurrency("SEK"), eur = moneyCurrency("EUR"), jpy = moneyCurrency("JPY")
    let bhd = moneyCurrency("BHD"), clf = moneyCurrency("CLF")

    @Test func conversionReexpressesTheAmountInTheTargetExponent() {
        // 100.00 SEK × 0.0934 = 9.34 EUR; × 14.123 = 1412.3 JPY → 1412; 1000 JPY × 0.0025 = 2.500 BHD.
        #expect(InvoiceCalculator.convert(10000, from: sek, rate: moneyDecimal("0.0934"), to: eur, mode: .halfUp)
            == 934)
        #expect(InvoiceCalculator.convert(10000, from: sek, rate: moneyDecimal("14.123"), to: jpy, mode: .halfUp)
            == 1412)
        #expect(InvoiceCalculator.convert(1000, from: jpy, rate: moneyDecimal("0.0025"), to: bhd, mode: .halfUp)
            == 2500)
        #expect(InvoiceCalculator.convert(86185, from: sek, rate: DecimalValue(1), to: sek, mode: .halfEven)
            == 86185)
    }

    @Test func conversionRoundsOnceWithTheGivenModeOnBothSigns() {
        let half = moneyDecimal("0.5")  // 0.01 SEK → 0.005 EUR
        #expect(InvoiceCalculator.convert(1, from: sek, rate: half, to: eur, mode: .halfUp) == 1)
        #expect(InvoiceCalculator.convert(1, from: sek, rate: half, to: eur, mode: .halfEven) == 0)
        #expect(InvoiceCalculator.convert(1, from: sek, rate: half, to: eur, mode: .down) == 0)
        #expect(InvoiceCalculator.convert(-1, from: sek, rate: half, to: eur, mode: .halfUp) == -1)
        #expect(InvoiceCalculator.convert(-1, from: sek, rate: half, to: eur, mode: .up) == -1)
        #expect(InvoiceCalculator.convert(3, from: sek, rate: half, to: eur, mode: .halfEven) == 2)
    }

    @Test func conversionIsExactEvenWhenTheIntermediateExceedsInt128() throws {
        // 9·10^18 minor CLF × 100 (written with 18 decimals) → JPY: the product needs ~130 bits, the result 57.
        let rate = DecimalValue(significand: 100 * 1_000_000_000_000_000_000, scale: 18)
        #expect(InvoiceCalculator.convert(9_000_000_000_000_000_000, from: clf, rate: rate, to: jpy, mode: .halfUp)
            == 90_000_000_000_000_000)
        #expect(try InvoiceCalculator.checkedConvert(
            9_000_000_000_000_000_000, from: clf, rate: rate, to: jpy, mode: .halfUp) == 90_000_000_000_000_000)
    }

    @Test func outOfRangeConversionsSaturateOrThrowAmountTooLarge() {
        let rate = DecimalValue(1000)
        #expect(InvoiceCalculator.convert(Int64.max, from: sek, rate: rate, to: eur, mode: .halfUp) == Int64.max)
        #expect(InvoiceCalculator.convert(Int64.min, from: sek, rate: rate, to: eur, mode: .halfUp) == Int64.min)
        let huge = DecimalValue(significand: Int128.max, scale: 0)
        #expect(InvoiceCalculator.convert(-5, from: sek, rate: huge, to: bhd, mode: .halfUp) == Int64.min)
        #expect(throws: BillingError.self) {
            _ = try InvoiceCalculator.checkedConvert(Int64.max, from: sek, rate: rate, to: eur, mode: .halfUp)
        }
        #expect(throws: BillingError.self) {
            _ = try InvoiceCalculator.checkedConvert(5, from: sek, rate: huge, to: bhd, mode: .halfUp)
        }
    }
}
