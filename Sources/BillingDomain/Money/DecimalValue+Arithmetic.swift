/// Checked arithmetic on exact decimals.
///
/// Nothing here traps: a daemon that bills many customers must refuse one absurd template, not crash. The
/// `…ReportingOverflow` methods follow the standard library's shape; the operators return nil where the exact
/// result is not representable (significand beyond Int128, or a product needing more than 18 fraction digits —
/// silently rounding a product would break the "round once" rule of DESIGN §3).
extension DecimalValue {
    public func addingReportingOverflow(_ other: DecimalValue) -> (partialValue: DecimalValue, overflow: Bool) {
        combine(other) { $0.addingReportingOverflow($1) }
    }

    public func subtractingReportingOverflow(_ other: DecimalValue) -> (partialValue: DecimalValue, overflow: Bool) {
        combine(other) { $0.subtractingReportingOverflow($1) }
    }

    /// The exact product; overflow when it needs more than 18 fraction digits even after dropping trailing zeros.
    public func multipliedReportingOverflow(by other: DecimalValue) -> (partialValue: DecimalValue, overflow: Bool) {
        var (significand, overflow) = self.significand.multipliedReportingOverflow(by: other.significand)
        guard !overflow else { return (.zero, true) }
        var scale = self.scale + other.scale
        while scale > Self.maxScale, significand % 10 == 0 {
            significand /= 10
            scale -= 1
        }
        guard scale <= Self.maxScale else { return (.zero, true) }
        return (DecimalValue(significand: significand, scale: scale), false)
    }

    /// The negated value; overflow only for a significand of Int128.min.
    public func negatedReportingOverflow() -> (partialValue: DecimalValue, overflow: Bool) {
        let (significand, overflow) = Int128(0).subtractingReportingOverflow(self.significand)
        return overflow ? (.zero, true) : (DecimalValue(significand: significand, scale: scale), false)
    }

    /// Exact sum, or nil when it does not fit.
    public static func + (lhs: DecimalValue, rhs: DecimalValue) -> DecimalValue? {
        let result = lhs.addingReportingOverflow(rhs)
        return result.overflow ? nil : result.partialValue
    }

    /// Exact difference, or nil when it does not fit.
    public static func - (lhs: DecimalValue, rhs: DecimalValue) -> DecimalValue? {
        let result = lhs.subtractingReportingOverflow(rhs)
        return result.overflow ? nil : result.partialValue
    }

    /// Exact product, or nil when it does not fit (see `multipliedReportingOverflow(by:)`).
    public static func * (lhs: DecimalValue, rhs: DecimalValue) -> DecimalValue? {
        let result = lhs.multipliedReportingOverflow(by: rhs)
        return result.overflow ? nil : result.partialValue
    }

    private func combine(
        _ other: DecimalValue, _ operation: (Int128, Int128) -> (partialValue: Int128, overflow: Bool)
    ) -> (partialValue: DecimalValue, overflow: Bool) {
        let scale = max(self.scale, other.scale)
        guard let l = MoneyMath.product(significand, MoneyMath.pow10(scale - self.scale)),
              let r = MoneyMath.product(other.significand, MoneyMath.pow10(scale - other.scale))
        else { return (.zero, true) }
        let (significand, overflow) = operation(l, r)
        return overflow ? (.zero, true) : (DecimalValue(significand: significand, scale: scale), false)
    }
}
