import BillingDomain
import Testing

/// Hand-computed invoices: each expectation was worked out on paper from DESIGN §3.
@Suite("InvoiceCalculator tables")
struct InvoiceCalculatorTableTests {
    let sek = moneyCurrency("SEK")
    let eur = moneyCurrency("EUR")

    func calc(
        _ lines: [InvoiceLineInput], _ currency: Currency, _ rounding: VatRounding = .perLine,
        _ mode: RoundingMode = .halfUp
    ) throws -> InvoiceCalculation {
        try InvoiceCalculator.calculate(lines: lines, currency: currency, vatRounding: rounding, roundingMode: mode)
    }

    @Test func perLineRoundingOfTwo0_50LinesAt19PercentGivesOneCentMoreThanPerInvoice() throws {
        let lines = [try moneyLine("1", "0.50", rate: "19"), try moneyLine("1", "0.50", rate: "19")]
        // 0.095 per line rounds to 0.10 twice; 1.00 × 19 % is 0.19 once.
        let perLine = try calc(lines, eur, .perLine)
        #expect(perLine.lines.map(\.vat) == [10, 10])
        #expect(perLine.totals == InvoiceTotals(excVat: 100, vat: 20, incVat: 120, cost: 0))
        let perInvoice = try calc(lines, eur, .perInvoice)
        #expect(perInvoice.totals == InvoiceTotals(excVat: 100, vat: 19, incVat: 119, cost: 0))
        // Largest remainder: equal remainders, so the earlier line takes the extra cent.
        #expect(perInvoice.lines == [
            ComputedLine(net: 50, vat: 10, gross: 60, cost: 0), ComputedLine(net: 50, vat: 9, gross: 59, cost: 0),
        ])
        #expect(perInvoice.vat == [VatBreakdownRow(rate: DecimalValue(19), net: 100, vat: 19)])
    }

    @Test func taxInclusive52_50At12PercentSplitsInto46_87Plus5_63() throws {
        // 52.50 × 12/112 = 5.625 exactly → 5.63 half away from zero; net is the rest so net + VAT = gross.
        let result = try calc([try moneyLine("1", "52.50", rate: "12", inclusive: true)], sek)
        #expect(result.lines == [ComputedLine(net: 4687, vat: 563, gross: 5250, cost: 0)])
        #expect(result.totals == InvoiceTotals(excVat: 4687, vat: 563, incVat: 5250, cost: 0))
        #expect(result.vat == [VatBreakdownRow(rate: DecimalValue(12), net: 4687, vat: 563)])
    }

    @Test func taxInclusive52_50At12PercentWithHalfEvenSplitsInto46_88Plus5_62() throws {
        let result = try calc([try moneyLine("1", "52.50", rate: "12", inclusive: true)], sek, .perLine, .halfEven)
        #expect(result.lines == [ComputedLine(net: 4688, vat: 562, gross: 5250, cost: 0)])
    }

    @Test func jpyInvoiceHasNoDecimalsAndRoundsToWholeYen() throws {
        // 3 × 333 = 999, VAT 99.9 → 100; 2.5 × 101 = 252.5 → 253, VAT 8 % of 253 = 20.24 → 20.
        let lines = [try moneyLine("3", "333", rate: "10"), try moneyLine("2.5", "101", rate: "8")]
        let yen = moneyCurrency("JPY")
        let result = try calc(lines, yen)
        #expect(result.lines.map(\.net) == [999, 253])
        #expect(result.lines.map(\.vat) == [100, 20])
        #expect(result.totals == InvoiceTotals(excVat: 1252, vat: 120, incVat: 1372, cost: 0))
        #expect(result.vat.map(\.rate) == [DecimalValue(8), DecimalValue(10)])
        #expect(yen.format(result.totals.incVat) == "1372")
        // Half-even sends 252.5 yen to 252 (even).
        #expect(try calc(lines, yen, .perLine, .halfEven).lines[1].net == 252)
    }

    @Test func bhdInvoiceHasThreeDecimals() throws {
        // 2 × 1.2345 = 2.469 → 2469 fils, VAT 246.9 → 247; 0.333 × 7.5 = 2.4975 → 2498, VAT 249.8 → 250.
        let lines = [try moneyLine("2", "1.2345", rate: "10"), try moneyLine("0.333", "7.5", rate: "10")]
        let bhd = moneyCurrency("BHD")
        let result = try calc(lines, bhd)
        #expect(result.lines.map(\.net) == [2469, 2498])
        #expect(result.lines.map(\.vat) == [247, 250])
        #expect(result.totals == InvoiceTotals(excVat: 4967, vat: 497, incVat: 5464, cost: 0))
        #expect(bhd.format(result.totals.incVat) == "5.464")
        // Per invoice: 4.967 × 10 % = 496.7 → 497 as well.
        #expect(try calc(lines, bhd, .perInvoice).totals.vat == 497)
    }

    @Test func discountIsAppliedBeforeTheSingleRounding() throws {
        // 3 × 99.90 = 299.70, −15 % = 254.745 → 254.75; VAT 25 % = 63.6875 → 63.69.
        let line = try moneyLine("3", "99.90", rate: "25", discount: "15")
        let result = try calc([line], sek)
        #expect(result.lines == [ComputedLine(net: 25475, vat: 6369, gross: 31844, cost: 0)])
        #expect(try calc([line], sek, .perLine, .halfEven).lines[0].net == 25474)
        // 1.005 at 50 %: once = 0.5025 → 0.50; rounding 1.005 to 1.01 first would give 0.51.
        #expect(try calc([try moneyLine("1", "1.005", rate: "0", discount: "50")], sek).lines[0].net == 50)
        // A 100 % discount bills nothing.
        #expect(try calc([try moneyLine("4", "10", rate: "25", discount: "100")], sek).totals.incVat == 0)
    }

    @Test func zeroRateLinesCarryNoVatButStillGetABreakdownRow() throws {
        let result = try calc([try moneyLine("10", "12.34", rate: "0")], sek)
        #expect(result.lines == [ComputedLine(net: 12340, vat: 0, gross: 12340, cost: 0)])
        #expect(result.vat == [VatBreakdownRow(rate: .zero, net: 12340, vat: 0)])
        #expect(try calc([try moneyLine("1", "5", rate: "0", inclusive: true)], sek).lines[0].net == 500)
    }

    @Test func mixedRatesGiveOneBreakdownRowPerRateAscending() throws {
        let lines = [
            try moneyLine("1", "100", rate: "25"), try moneyLine("1", "50", rate: "12"),
            try moneyLine("1", "20", rate: "6"), try moneyLine("1", "10", rate: "25.00"),
        ]
        let result = try calc(lines, sek)
        #expect(result.vat == [
            VatBreakdownRow(rate: DecimalValue(6), net: 2000, vat: 120),
            VatBreakdownRow(rate: DecimalValue(12), net: 5000, vat: 600),
            VatBreakdownRow(rate: DecimalValue(25), net: 11000, vat: 2750),
        ])
        #expect(result.totals == InvoiceTotals(excVat: 18000, vat: 3470, incVat: 21470, cost: 0))
        #expect(result.vat[2].rate.description == "25")  // normalized, as the JSON prints it
    }

    @Test func perInvoiceTreatsInclusiveAndExclusiveLinesAtOneRateAsSeparateGroups() throws {
        // Exclusive: 0.50 + 0.50 at 19 % → 0.19. Inclusive: 1.19 + 1.19 gross → 2.38 × 19/119 = 0.38 exactly.
        let lines = [
            try moneyLine("1", "0.50", rate: "19"), try moneyLine("1", "1.19", rate: "19", inclusive: true),
            try moneyLine("1", "0.50", rate: "19"), try moneyLine("1", "1.19", rate: "19", inclusive: true),
        ]
        let result = try calc(lines, eur, .perInvoice)
        #expect(result.lines.map(\.vat) == [10, 19, 9, 19])
        #expect(result.lines.map(\.net) == [50, 100, 50, 100])
        #expect(result.vat == [VatBreakdownRow(rate: DecimalValue(19), net: 300, vat: 57)])
        #expect(result.totals == InvoiceTotals(excVat: 300, vat: 57, incVat: 357, cost: 0))
    }

    @Test func perInvoiceLargestRemainderGivesTheExtraCentToTheLargestFraction() throws {
        // 0.33 × 25 % = 0.0825, 0.39 × 25 % = 0.0975, 0.28 × 25 % = 0.07: Σ = 0.25 exactly.
        // Floors 8 + 9 + 7 = 24; the one missing cent goes to the largest remainder, 0.0075 (line 2).
        let lines = try ["0.33", "0.39", "0.28"].map { try moneyLine("1", $0, rate: "25") }
        let result = try calc(lines, eur, .perInvoice)
        #expect(result.lines.map(\.vat) == [8, 10, 7])
        #expect(result.totals.vat == 25)
    }

    @Test func downAndUpModesTruncateOrRaiseTheVat() throws {
        let line = try moneyLine("1", "0.50", rate: "19")  // VAT 0.095
        #expect(try calc([line], eur, .perLine, .down).totals.vat == 9)
        #expect(try calc([line], eur, .perLine, .up).totals.vat == 10)
        #expect(try calc([line, line], eur, .perInvoice, .up).lines.map(\.vat) == [10, 9])  // ⌈0.19⌉ = 0.19
        #expect(try calc([line, line, line], eur, .perInvoice, .up).totals.vat == 29)  // ⌈0.285⌉
        #expect(try calc([line, line, line], eur, .perInvoice, .down).totals.vat == 28)
    }

    @Test func costIsQuantityTimesUnitCostRoundedOnceAndIgnoresTheDiscount() throws {
        // 2.5 × 3.333 = 8.3325 → 8.33; 2 × 0.125 = 0.25.
        let lines = [
            try moneyLine("2.5", "10", rate: "25", discount: "50", cost: "3.333"),
            try moneyLine("2", "1", rate: "25", cost: "0.125"),
        ]
        let result = try calc(lines, sek)
        #expect(result.lines.map(\.cost) == [833, 25])
        #expect(result.totals.cost == 858)
    }

    @Test func anEmptyInvoiceIsAllZeros() throws {
        let result = try calc([], sek)
        #expect(result.lines.isEmpty && result.vat.isEmpty)
        #expect(result.totals == InvoiceTotals(excVat: 0, vat: 0, incVat: 0, cost: 0))
    }

    @Test func amountsBeyondInt64AreRefusedAsAmountTooLarge() throws {
        // 10^6 × 999999999.999999 CLF at 4 decimals ≈ 10^19 minor units: more than Int64 holds.
        let huge = try moneyLine("1000000", "999999999.999999", rate: "25", cost: "999999999.999999")
        let error = try #require(throws: BillingError.self) { _ = try calc([huge], moneyCurrency("CLF")) }
        #expect(error.code == .amountTooLarge)
        #expect(error.field == "Lines[0]")
        // Each SEK line fits, but a hundred of them do not.
        let big = try moneyLine("1000000", "999999999", rate: "25")
        for rounding in VatRounding.allCases {
            let total = try #require(throws: BillingError.self) {
                _ = try calc(Array(repeating: big, count: 100), sek, rounding)
            }
            #expect(total.code == .amountTooLarge)
        }
    }
}
