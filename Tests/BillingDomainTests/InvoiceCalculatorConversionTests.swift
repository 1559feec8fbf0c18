import BillingDomain
import Testing

@Suite("InvoiceCalculator.checkedConvert")
struct InvoiceCalculatorConversionTests {
    let sek = moneyCurrency("SEK"), eur = moneyCurrency("EUR"), jpy = moneyCurrency("JPY")
    let bhd = moneyCurrency("BHD"), clf = moneyCurrency("CLF")

    @Test func conversionReexpressesTheAmountInTheTargetExponent() throws {
        // 100.00 SEK × 0.0934 = 9.34 EUR; × 14.123 = 1412.3 JPY → 1412; 1000 JPY × 0.0025 = 2.500 BHD.
        #expect(try InvoiceCalculator.checkedConvert(10000, from: sek, rate: moneyDecimal("0.0934"), to: eur, mode: .halfUp)
            == 934)
        #expect(try InvoiceCalculator.checkedConvert(10000, from: sek, rate: moneyDecimal("14.123"), to: jpy, mode: .halfUp)
            == 1412)
        #expect(try InvoiceCalculator.checkedConvert(1000, from: jpy, rate: moneyDecimal("0.0025"), to: bhd, mode: .halfUp)
            == 2500)
        #expect(try InvoiceCalculator.checkedConvert(86185, from: sek, rate: DecimalValue(1), to: sek, mode: .halfEven)
            == 86185)
    }

    @Test func conversionRoundsOnceWithTheGivenModeOnBothSigns() throws {
        let half = moneyDecimal("0.5")  // 0.01 SEK → 0.005 EUR
        #expect(try InvoiceCalculator.checkedConvert(1, from: sek, rate: half, to: eur, mode: .halfUp) == 1)
        #expect(try InvoiceCalculator.checkedConvert(1, from: sek, rate: half, to: eur, mode: .halfEven) == 0)
        #expect(try InvoiceCalculator.checkedConvert(1, from: sek, rate: half, to: eur, mode: .down) == 0)
        #expect(try InvoiceCalculator.checkedConvert(-1, from: sek, rate: half, to: eur, mode: .halfUp) == -1)
        #expect(try InvoiceCalculator.checkedConvert(-1, from: sek, rate: half, to: eur, mode: .up) == -1)
        #expect(try InvoiceCalculator.checkedConvert(3, from: sek, rate: half, to: eur, mode: .halfEven) == 2)
    }

    @Test func conversionIsExactEvenWhenTheIntermediateExceedsInt128() throws {
        // 9·10^18 minor CLF × 100 (written with 18 decimals) → JPY: the product needs ~130 bits, the result 57.
        let rate = DecimalValue(significand: 100 * 1_000_000_000_000_000_000, scale: 18)
        #expect(try InvoiceCalculator.checkedConvert(9_000_000_000_000_000_000, from: clf, rate: rate, to: jpy, mode: .halfUp)
            == 90_000_000_000_000_000)
            }

    @Test func outOfRangeConversionsThrowAmountTooLargeNeverSaturate() {
        let rate = DecimalValue(1000)
        let huge = DecimalValue(significand: Int128.max, scale: 0)
        for (minor, rate, to) in [(Int64.max, rate, eur), (Int64.min, rate, eur), (-5, huge, bhd), (5, huge, bhd)] {
            #expect(throws: BillingError.self, "\(minor) × \(rate)") {
                _ = try InvoiceCalculator.checkedConvert(minor, from: sek, rate: rate, to: to, mode: .halfUp)
            }
        }
    }
}
