/// How an exact amount becomes a whole number of minor units.
///
/// DESIGN §3: commercial rounding (half away from zero) is the default because it is what customers, auditors and
/// most VAT authorities check an invoice against by hand; half-even is offered for ledgers that must not drift
/// upward over many postings. `down` and `up` exist for contracts that state truncation or rounding up.
public enum RoundingMode: String, Sendable, CaseIterable {
    /// Half away from zero: 0.125 → 0.13 and −0.125 → −0.13.
    case halfUp = "HalfUp"
    /// Half to the even neighbour (banker's rounding): 0.125 → 0.12, 0.135 → 0.14.
    case halfEven = "HalfEven"
    /// Toward zero (truncation).
    case down = "Down"
    /// Away from zero.
    case up = "Up"

    /// DESIGN §3: "Rounding half away from zero by default".
    public static let `default`: RoundingMode = .halfUp
}

/// Exact integer arithmetic behind every rounding in the money code.
///
/// Each rounding is done once, on an exact rational a × b / d, so no intermediate result is ever rounded (a rounded
/// intermediate is how invoices end up one cent away from what the customer computes).
enum MoneyMath {
    /// 10^0 … 10^38; 10^38 is the largest power of ten an Int128 holds.
    static let powersOfTen: [Int128] = {
        var powers: [Int128] = [1]
        for _ in 1...38 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    static func pow10(_ n: Int) -> Int128 {
        precondition((0...38).contains(n), "10^\(n) does not fit in Int128")
        return powersOfTen[n]
    }

    /// The product of all factors, or nil when it does not fit in Int128.
    static func product(_ factors: Int128...) -> Int128? {
        var result: Int128 = 1
        for factor in factors {
            let (value, overflow) = result.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            result = value
        }
        return result
    }

    /// round(a × b / d) computed exactly with a 256-bit intermediate; nil when the result does not fit in Int128.
    ///
    /// All four modes are symmetric around zero, so rounding the magnitude and then applying the sign is exact.
    static func mulDiv(_ a: Int128, _ b: Int128, _ d: Int128, _ mode: RoundingMode) -> Int128? {
        precondition(d > 0, "the denominator must be positive")
        let negative = (a < 0) != (b < 0) && a != 0 && b != 0
        let wide = a.magnitude.multipliedFullWidth(by: b.magnitude)
        let divisor = d.magnitude
        // A high word ≥ divisor means a quotient ≥ 2^128, which no Int128 holds.
        guard wide.high < divisor else { return nil }
        let (quotient, remainder) = divisor.dividingFullWidth((wide.high, wide.low))
        guard let magnitude = roundMagnitude(quotient, remainder, divisor, mode) else { return nil }
        return signed(magnitude, negative: negative)
    }

    /// Rounds q + r/d (0 ≤ r < d) to an integer; nil if that integer overflows UInt128.
    static func roundMagnitude(_ q: UInt128, _ r: UInt128, _ d: UInt128, _ mode: RoundingMode) -> UInt128? {
        if r == 0 { return q }
        let rest = d - r  // compared with r instead of doubling r, which could overflow
        let awayFromZero: Bool
        switch mode {
        case .down: awayFromZero = false
        case .up: awayFromZero = true
        case .halfUp: awayFromZero = r >= rest
        case .halfEven: awayFromZero = r > rest || (r == rest && q & 1 == 1)
        }
        guard awayFromZero else { return q }
        return q == UInt128.max ? nil : q + 1
    }

    static func signed(_ magnitude: UInt128, negative: Bool) -> Int128? {
        if !negative { return Int128(exactly: magnitude) }
        if magnitude == Int128.min.magnitude { return Int128.min }
        return Int128(exactly: magnitude).map { -$0 }
    }
}
