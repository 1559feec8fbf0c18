/// The per-rate VAT breakdown and the invoice totals.
extension InvoiceCalculator.Context {
    /// The per-rate breakdown and the totals: TotalExcVat = Σ net, VAT = Σ breakdown VAT,
    /// TotalIncVat = TotalExcVat + VAT, TotalCost = Σ line cost (DESIGN §3).
    func summarize(lines: [InvoiceLineInput], computed: [ComputedLine]) throws -> InvoiceCalculation {
        var rows: [DecimalValue: (net: Int128, vat: Int128)] = [:]
        var excVat: Int128 = 0, cost: Int128 = 0
        for (line, amounts) in zip(lines, computed) {
            rows[line.taxRate.normalized, default: (0, 0)].net += Int128(amounts.net)
            rows[line.taxRate.normalized, default: (0, 0)].vat += Int128(amounts.vat)
            excVat += Int128(amounts.net)
            cost += Int128(amounts.cost)
        }
        var breakdown: [VatBreakdownRow] = []
        var vat: Int128 = 0
        for rate in rows.keys.sorted() {
            let row = rows[rate]!
            breakdown.append(VatBreakdownRow(
                rate: rate, net: try narrow(row.net, "the net amount at \(rate) %", field: nil),
                vat: try narrow(row.vat, "the VAT at \(rate) %", field: nil)))
            vat += row.vat
        }
        let totals = InvoiceTotals(
            excVat: try narrow(excVat, "the total excluding VAT", field: nil),
            vat: try narrow(vat, "the total VAT", field: nil),
            incVat: try narrow(excVat + vat, "the total including VAT", field: nil),
            cost: try narrow(cost, "the total cost", field: nil))
        return InvoiceCalculation(lines: computed, vat: breakdown, totals: totals)
    }
}
