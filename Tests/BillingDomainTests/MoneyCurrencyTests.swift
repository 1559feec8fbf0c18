import BillingDomain
import Testing

@Suite("Currency")
struct MoneyCurrencyTests {
    @Test("ISO 4217 exponents", arguments: [
        ("SEK", 2), ("EUR", 2), ("USD", 2), ("JPY", 0), ("KRW", 0), ("ISK", 0), ("CLP", 0), ("VND", 0),
        ("BHD", 3), ("KWD", 3), ("OMR", 3), ("JOD", 3), ("IQD", 3), ("LYD", 3), ("TND", 3), ("CLF", 4),
        ("UYW", 4), ("XOF", 0), ("HUF", 2), ("MGA", 2),
    ])
    func currencyExponentsFollowISO4217(_ code: String, _ exponent: Int) throws {
        let currency = try #require(Currency(code: code))
        #expect(currency.code == code)
        #expect(currency.exponent == exponent)
    }

    @Test("only upper-case active ISO 4217 codes with a minor unit",
          arguments: ["sek", "Sek", "XAU", "XXX", "HRK", "SLL", "", "SEKK", "US", "ÅÄÖ"])
    func unknownLowerCaseWithdrawnOrUnitlessCodesAreRefused(_ code: String) {
        #expect(Currency(code: code) == nil)
    }

    @Test func validatingInitThrowsInvalidCurrencyNamingTheValue() {
        #expect {
            try Currency(validatingCode: "XYZ")
        } throws: { error in
            let billing = error as? BillingError
            return billing?.code == .invalidCurrency && billing?.field == "Currency"
                && billing?.message.contains("XYZ") == true
        }
        #expect(Currency.allCodes.contains("EUR"))
        #expect(Currency.allCodes.count > 150)
    }

    @Test func formatUsesTheCurrencyExponent() {
        #expect(moneyCurrency("SEK").format(86185) == "861.85")
        #expect(moneyCurrency("JPY").format(1000) == "1000")
        #expect(moneyCurrency("BHD").format(1250) == "1.250")
        #expect(moneyCurrency("EUR").format(-5) == "-0.05")
    }

    @Test func parseAmountAcceptsAtMostTheCurrencyDecimals() {
        let sek = moneyCurrency("SEK")
        #expect(sek.parseAmount("12.5") == 1250)
        #expect(sek.parseAmount("12.50") == 1250)
        #expect(sek.parseAmount("12") == 1200)
        #expect(sek.parseAmount("12.505") == nil)
        #expect(sek.parseAmount("12,50") == nil)
        #expect(sek.parseAmount("1e3") == nil)
        #expect(sek.parseAmount("-0.05") == -5)
        #expect(moneyCurrency("JPY").parseAmount("1000") == 1000)
        #expect(moneyCurrency("JPY").parseAmount("1000.00") == 1000)
        #expect(moneyCurrency("JPY").parseAmount("1000.5") == nil)
        #expect(moneyCurrency("BHD").parseAmount("1.25") == 1250)
        #expect(moneyCurrency("BHD").parseAmount("1.2505") == nil)
    }

    @Test func parseAmountRefusesAmountsBeyondInt64() {
        let sek = moneyCurrency("SEK")
        #expect(sek.parseAmount("92233720368547758.07") == Int64.max)
        #expect(sek.parseAmount("92233720368547758.08") == nil)
        #expect(sek.parseAmount(String(repeating: "9", count: 30)) == nil)
    }
}
