import BillingDomain
import TestSupport
import Testing

/// Invariants of DESIGN §3 over random invoices from a seeded SplitMix64, so a failure names a reproducible seed.
@Suite("InvoiceCalculator properties")
struct InvoiceCalculatorPropertyTests {
    static let invoicesPerProperty = 2_000
    static let rates = ["0", "6", "7", "10", "12", "19", "20", "21", "24", "25", "7.5"].map(moneyDecimal)
    static let currencies = ["JPY", "SEK", "EUR", "BHD", "KWD"].map(moneyCurrency)  // exponents 0, 2, 3

    struct Case {
        let seed: UInt64
        let lines: [InvoiceLineInput]
        let currency: Currency
        let vatRounding: VatRounding
        let mode: RoundingMode
        let result: InvoiceCalculation
    }

    /// A random but valid invoice: small and large prices, fractional quantities, discounts, mixed price modes.
    static func randomCase(seed: UInt64) throws -> Case {
        var rng = SplitMix64(seed: seed)
        let currency = rng.pick(currencies)
        let vatRounding = rng.pick(VatRounding.allCases)
        let mode = rng.pick(RoundingMode.allCases)
        let uniformPriceMode: Bool? = rng.bool() ? rng.bool() : nil
        var lines: [InvoiceLineInput] = []
        for _ in 0..<rng.int(in: 1...8) {
            let quantity = rng.bool()
                ? DecimalValue(rng.int(in: 1...20)) : rng.decimal(1...100_000, scales: 0...4)
            let price = rng.bool()
                ? rng.decimal(0...10_000, scales: 0...3) : rng.decimal(0...10_000_000, scales: 0...6)
            let discount: DecimalValue = switch rng.int(in: 0...3) {
            case 0: DecimalValue(rng.int(in: 0...100))
            case 1: rng.decimal(0...10_000, scales: 2...2)
            default: .zero
            }
            lines.append(try InvoiceLineInput(
                quantity: quantity, unitPrice: price, unitCost: rng.decimal(0...1_000_000, scales: 0...6),
                taxRate: rng.pick(rates), discountPercent: discount,
                priceIncludesVat: uniformPriceMode ?? rng.bool()))
        }
        let result = try InvoiceCalculator.calculate(
            lines: lines, currency: currency, vatRounding: vatRounding, roundingMode: mode)
        return Case(
            seed: seed, lines: lines, currency: currency, vatRounding: vatRounding, mode: mode, result: result)
    }

    static func forEachCase(salt: UInt64, _ check: (Case) throws -> Void) throws {
        for index in 0..<UInt64(invoicesPerProperty) {
            try check(try randomCase(seed: salt &* 1_000_003 &+ index))
        }
    }

    /// True when `value` is `numerator / denominator` rounded as `mode` allows: within half a unit for the
    /// half modes, the floor for `down`, the ceiling for `up` (all amounts here are non-negative).
    static func isRounding(_ value: Int128, of numerator: Int128, over denominator: Int128, _ mode: RoundingMode)
        -> Bool
    {
        let error = value * denominator - numerator  // value − exact, scaled by the denominator
        switch mode {
        case .halfUp, .halfEven: return 2 * abs(error) <= denominator
        case .down: return error <= 0 && -error < denominator
        case .up: return error >= 0 && error < denominator
        }
    }

    @Test func netPlusVatEqualsGrossOnEveryLineAndOnTheInvoice() throws {
        try Self.forEachCase(salt: 1) { c in
            for line in c.result.lines {
                #expect(line.net + line.vat == line.gross, "seed \(c.seed)")
                #expect(line.net >= 0 && line.vat >= 0, "seed \(c.seed)")
            }
            let totals = c.result.totals
            #expect(totals.excVat + totals.vat == totals.incVat, "seed \(c.seed)")
            #expect(c.result.lines.reduce(0) { $0 + $1.gross } == totals.incVat, "seed \(c.seed)")
            #expect(c.result.lines.reduce(0) { $0 + $1.cost } == totals.cost, "seed \(c.seed)")
        }
    }

    @Test func breakdownVatSumsToInvoiceVatAndBreakdownNetSumsToExcVat() throws {
        try Self.forEachCase(salt: 2) { c in
            let rows = c.result.vat
            #expect(rows.reduce(0) { $0 + $1.vat } == c.result.totals.vat, "seed \(c.seed)")
            #expect(rows.reduce(0) { $0 + $1.net } == c.result.totals.excVat, "seed \(c.seed)")
            #expect(c.result.lines.reduce(0) { $0 + $1.vat } == c.result.totals.vat, "seed \(c.seed)")
            // One row per distinct rate, strictly ascending, and each row is the sum of its lines.
            #expect(rows.map(\.rate) == Set(c.lines.map(\.taxRate)).sorted(), "seed \(c.seed)")
            for row in rows {
                let members = c.lines.indices.filter { c.lines[$0].taxRate == row.rate }
                #expect(members.reduce(0) { $0 + c.result.lines[$1].vat } == row.vat, "seed \(c.seed)")
                #expect(members.reduce(0) { $0 + c.result.lines[$1].net } == row.net, "seed \(c.seed)")
            }
        }
    }

    @Test func lineAmountIsQuantityTimesPriceLessDiscountRoundedOnce() throws {
        try Self.forEachCase(salt: 3) { c in
            for (line, computed) in zip(c.lines, c.result.lines) {
                let q = line.quantity, p = line.unitPrice, d = line.discountPercent
                let kept = 100 * pow10(d.scale) - d.significand
                let numerator = q.significand * p.significand * kept * pow10(c.currency.exponent)
                let denominator = pow10(q.scale + p.scale + d.scale + 2)
                let amount = line.priceIncludesVat ? computed.gross : computed.net
                #expect(Self.isRounding(Int128(amount), of: numerator, over: denominator, c.mode), "seed \(c.seed)")
            }
        }
    }

    @Test func perLineVatIsEachLinesExactVatRounded() throws {
        try Self.forEachCase(salt: 4) { c in
            guard c.vatRounding == .perLine else { return }
            for (line, computed) in zip(c.lines, c.result.lines) {
                let (numerator, denominator) = exactVat(of: line, computed)
                #expect(Self.isRounding(Int128(computed.vat), of: numerator, over: denominator, c.mode),
                        "seed \(c.seed)")
            }
        }
    }

    @Test func perInvoiceVatPerRateIsWithinHalfAMinorUnitOfTheExactValue() throws {
        try Self.forEachCase(salt: 5) { c in
            guard c.vatRounding == .perInvoice else { return }
            // A group is one rate and one price mode (DESIGN §3 / InvoiceCalculator): its VAT is rounded once.
            let groups = Dictionary(grouping: c.lines.indices) {
                "\(c.lines[$0].taxRate.normalized)|\(c.lines[$0].priceIncludesVat)"
            }
            for members in groups.values {
                var numerator: Int128 = 0, denominator: Int128 = 1, vat: Int128 = 0
                for index in members {
                    let share = exactVat(of: c.lines[index], c.result.lines[index])
                    numerator += share.numerator
                    denominator = share.denominator  // the same for every member of the group
                    vat += Int128(c.result.lines[index].vat)
                    // Largest remainder keeps every line within one unit of its own exact share.
                    let lineVat = Int128(c.result.lines[index].vat)
                    #expect(abs(lineVat * share.denominator - share.numerator) < share.denominator, "seed \(c.seed)")
                }
                #expect(Self.isRounding(vat, of: numerator, over: denominator, c.mode), "seed \(c.seed)")
            }
        }
    }

    @Test func generatorCoversEveryModeCurrencyAndPriceMode() throws {
        var seen = Set<String>()
        try Self.forEachCase(salt: 6) { c in
            seen.insert("\(c.vatRounding)-\(c.mode)-\(c.currency.exponent)")
            for line in c.lines { seen.insert("inclusive-\(line.priceIncludesVat)") }
        }
        #expect(seen.count == 2 * 4 * 3 + 2)
    }
}

/// The exact VAT of a computed line as a fraction: net × r/100 for net prices, gross × r/(100 + r) for gross ones.
private func exactVat(of line: InvoiceLineInput, _ computed: ComputedLine) -> (numerator: Int128, denominator: Int128) {
    let r = line.taxRate.normalized
    let hundred = 100 * pow10(r.scale)
    return line.priceIncludesVat
        ? (Int128(computed.gross) * r.significand, hundred + r.significand)
        : (Int128(computed.net) * r.significand, hundred)
}

private func pow10(_ n: Int) -> Int128 {
    (0..<n).reduce(Int128(1)) { value, _ in value * 10 }
}
