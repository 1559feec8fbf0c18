/// VAT rounded once per rate over the whole invoice, then shared out to the lines.
extension InvoiceCalculator.Context {
    /// Lines at the same rate and price mode form one group; mixing modes within a rate gives two groups whose
    /// VAT is added into the rate's row, because a net and a gross base cannot be summed into one VAT base.
    struct GroupKey: Hashable {
        let rate: DecimalValue
        let inclusive: Bool
    }

    func perInvoiceVat(lines: [InvoiceLineInput], amounts: [Int64]) throws -> [Int64] {
        var groups: [GroupKey: [Int]] = [:]
        for (index, line) in lines.enumerated() {
            groups[GroupKey(rate: line.taxRate.normalized, inclusive: line.priceIncludesVat), default: []]
                .append(index)
        }
        var vats = [Int64](repeating: 0, count: lines.count)
        for (key, members) in groups {
            let base = members.reduce(Int128(0)) { $0 + Int128(amounts[$1]) }
            let total = try vat(of: base, at: key.rate, inclusive: key.inclusive)
            let fraction = InvoiceCalculator.VatFraction(rate: key.rate, inclusive: key.inclusive)
            let shares = try distribute(
                total, over: members.map { amounts[$0] }, numerator: fraction.numerator,
                denominator: fraction.denominator)
            for (member, share) in zip(members, shares) {
                vats[member] = try narrow(share, "the VAT of line \(member + 1)", field: "Lines[\(member)]")
            }
        }
        return vats
    }

    /// Shares `total` over lines whose exact shares are base × numerator / denominator, by largest remainder
    /// (Hamilton): each line gets its exact share rounded down, and the units still missing go to the lines with
    /// the largest remainders, earlier lines first on ties. Every line thus carries its exact VAT to within one
    /// unit and the lines add up to the rate's rounded VAT, so each line keeps net + VAT = gross.
    func distribute(_ total: Int128, over bases: [Int64], numerator: Int128, denominator: Int128) throws
        -> [Int128]
    {
        var shares: [Int128] = []
        var remainders: [Int128] = []
        for base in bases {
            guard let exact = MoneyMath.product(Int128(base), numerator) else {
                throw tooLarge("the VAT of an invoice line", field: nil)
            }
            // Bases are never negative (validated prices, quantities and discounts), so / rounds down.
            shares.append(exact / denominator)
            remainders.append(exact % denominator)
        }
        let missing = total - shares.reduce(0, +)
        // Σ⌊xᵢ⌋ ≤ round(Σxᵢ) ≤ ⌈Σxᵢ⌉ ≤ Σ⌊xᵢ⌋ + (lines with a remainder) for every rounding mode, so `missing`
        // always fits in the lines that have a remainder; anything else is a bug in this file, not bad input.
        let candidates = remainders.indices.filter { remainders[$0] > 0 }
        precondition(missing >= 0 && missing <= Int128(candidates.count), "VAT distribution out of bounds")
        let order = candidates.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        for index in order.prefix(Int(missing)) { shares[index] += 1 }
        return shares
    }
}
