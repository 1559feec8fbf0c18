/// Turns invoice lines into net, VAT and gross amounts in minor units (DESIGN §3).
///
/// Every amount is an exact rational rounded exactly once, with integer (Int128) arithmetic throughout, so the
/// figures are reproducible to the unit on any machine and in any later re-computation (imports are checked
/// against them, DESIGN §3 "Imported totals that disagree are refused").
public enum InvoiceCalculator {
    public static func calculate(
        lines: [InvoiceLineInput], currency: Currency, vatRounding: VatRounding, roundingMode: RoundingMode
    ) throws -> InvoiceCalculation {
        let context = Context(currency: currency, mode: roundingMode)
        var amounts: [Int64] = []
        var costs: [Int64] = []
        amounts.reserveCapacity(lines.count)
        costs.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            amounts.append(try context.lineAmount(line, index: index))
            costs.append(try context.lineCost(line, index: index))
        }

        var vats: [Int64]
        switch vatRounding {
        case .perLine:
            vats = try lines.indices.map { index in
                let line = lines[index]
                return try context.narrow(
                    try context.vat(of: Int128(amounts[index]), at: line.taxRate, inclusive: line.priceIncludesVat),
                    "the VAT of line \(index + 1)", field: "Lines[\(index)]")
            }
        case .perInvoice:
            vats = try context.perInvoiceVat(lines: lines, amounts: amounts)
        }

        var computed: [ComputedLine] = []
        computed.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            // A tax-inclusive amount is the gross the customer agreed to pay; VAT is carved out of it, so net is the
            // difference. A tax-exclusive amount is the net; VAT is added on top.
            let net = line.priceIncludesVat ? Int128(amounts[index]) - Int128(vats[index]) : Int128(amounts[index])
            let gross = net + Int128(vats[index])
            computed.append(ComputedLine(
                net: try context.narrow(net, "the net amount of line \(index + 1)", field: "Lines[\(index)]"),
                vat: vats[index],
                gross: try context.narrow(gross, "the gross amount of line \(index + 1)", field: "Lines[\(index)]"),
                cost: costs[index]))
        }
        return try context.summarize(lines: lines, computed: computed)
    }
}

extension InvoiceCalculator {
    /// The currency and rounding mode every amount of one invoice is computed with.
    struct Context {
        let currency: Currency
        let mode: RoundingMode

        var minorPerMajor: Int128 { MoneyMath.pow10(currency.exponent) }

        /// A = quantity × unit price × (1 − discount/100), rounded once to the minor unit: rounding the undiscounted
        /// amount first would make the discount act on an already rounded figure (1.005 at 50 % must be 0.50, not
        /// 0.51).
        func lineAmount(_ line: InvoiceLineInput, index: Int) throws -> Int64 {
            let q = line.quantity.normalized, p = line.unitPrice.normalized, d = line.discountPercent.normalized
            let kept = 100 * MoneyMath.pow10(d.scale) - d.significand  // (100 − discount) × 10^d.scale
            func what() -> String { "line \(index + 1)'s amount (\(line.quantity) × \(line.unitPrice))" }
            guard let left = MoneyMath.product(q.significand, p.significand),
                  let right = MoneyMath.product(kept, minorPerMajor),
                  let amount = MoneyMath.mulDiv(left, right, MoneyMath.pow10(q.scale + p.scale + d.scale + 2), mode)
            else { throw tooLarge(what(), field: "Lines[\(index)]") }
            return try narrow(amount, what(), field: "Lines[\(index)]")
        }

        /// TotalCost counts quantity × unit cost per line, rounded like the amounts (DESIGN §3), with no discount:
        /// a discount lowers what the customer pays, not what the goods cost.
        func lineCost(_ line: InvoiceLineInput, index: Int) throws -> Int64 {
            let q = line.quantity.normalized, c = line.unitCost.normalized
            func what() -> String { "line \(index + 1)'s cost (\(line.quantity) × \(line.unitCost))" }
            guard let left = MoneyMath.product(q.significand, c.significand),
                  let cost = MoneyMath.mulDiv(left, minorPerMajor, MoneyMath.pow10(q.scale + c.scale), mode)
            else { throw tooLarge(what(), field: "Lines[\(index)]") }
            return try narrow(cost, what(), field: "Lines[\(index)]")
        }

        /// VAT on an exclusive net (net × r/100) or carved out of an inclusive gross (gross × r/(100 + r)),
        /// rounded once from the exact fraction.
        func vat(of amount: Int128, at rate: DecimalValue, inclusive: Bool) throws -> Int128 {
            let fraction = VatFraction(rate: rate, inclusive: inclusive)
            guard let vat = MoneyMath.mulDiv(amount, fraction.numerator, fraction.denominator, mode) else {
                throw tooLarge("the VAT at \(rate.normalized) %", field: nil)
            }
            return vat
        }

        /// `what` and `field` describe the amount for the error message only; they are autoclosures because
        /// building them for every line of every invoice was a third of the calculation's cost.
        func narrow(_ value: Int128, _ what: @autoclosure () -> String, field: @autoclosure () -> String?) throws -> Int64 {
            guard let narrow = Int64(exactly: value) else { throw tooLarge(what(), field: field()) }
            return narrow
        }

        func tooLarge(_ what: String, field: String?) -> BillingError {
            BillingError(
                .amountTooLarge,
                "The invoice cannot be computed: \(what) exceeds the largest amount billingd stores, "
                    + "\(currency.format(Int64.max)) \(currency.code).",
                field: field)
        }
    }

    /// The VAT share of an amount as an exact fraction: r/100 for net prices, r/(100 + r) for gross prices.
    struct VatFraction {
        let numerator: Int128
        let denominator: Int128

        init(rate: DecimalValue, inclusive: Bool) {
            let r = rate.normalized  // ≤ 100 with ≤ 4 decimals for validated lines, so all terms stay tiny
            let hundred = 100 * MoneyMath.pow10(r.scale)
            numerator = r.significand
            denominator = inclusive ? hundred + r.significand : hundred
        }
    }
}
