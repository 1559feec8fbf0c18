/// Where VAT is rounded (DESIGN §3): on every line and then summed, or once per rate over the whole invoice.
///
/// EU law leaves the rounding level to national rules (CJEU C-19/12, Wetherspoon), so both are offered; per line is
/// the default because each printed line then shows a VAT amount the customer can check on its own.
public enum VatRounding: String, Sendable, CaseIterable {
    case perLine = "PerLine"
    case perInvoice = "PerInvoice"
}

/// One computed line, in minor units of the invoice currency. Always `net + vat == gross`.
public struct ComputedLine: Sendable, Hashable {
    public var net: Int64
    public var vat: Int64
    public var gross: Int64
    public var cost: Int64

    public init(net: Int64, vat: Int64, gross: Int64, cost: Int64) {
        self.net = net
        self.vat = vat
        self.gross = gross
        self.cost = cost
    }
}

/// Net and VAT of all lines at one rate: the per-rate breakdown an invoice must show (VAT Directive art. 226(8)–(10)).
public struct VatBreakdownRow: Sendable, Hashable {
    /// The rate in percent, normalized (`25`, `7.5`).
    public var rate: DecimalValue
    public var net: Int64
    public var vat: Int64

    public init(rate: DecimalValue, net: Int64, vat: Int64) {
        self.rate = rate
        self.net = net
        self.vat = vat
    }
}

/// TotalExcVat, VAT, TotalIncVat and TotalCost in minor units; `incVat == excVat + vat`.
public struct InvoiceTotals: Sendable, Hashable {
    public var excVat: Int64
    public var vat: Int64
    public var incVat: Int64
    public var cost: Int64

    public init(excVat: Int64, vat: Int64, incVat: Int64, cost: Int64) {
        self.excVat = excVat
        self.vat = vat
        self.incVat = incVat
        self.cost = cost
    }
}

/// The result of `InvoiceCalculator.calculate`: lines in input order, breakdown ascending by rate.
public struct InvoiceCalculation: Sendable, Hashable {
    public var lines: [ComputedLine]
    public var vat: [VatBreakdownRow]
    public var totals: InvoiceTotals

    public init(lines: [ComputedLine], vat: [VatBreakdownRow], totals: InvoiceTotals) {
        self.lines = lines
        self.vat = vat
        self.totals = totals
    }
}
