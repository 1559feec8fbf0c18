/// An exact decimal number: `significand / 10^scale`.
///
/// Money, quantities, prices and tax rates are decimal by law and by contract: a binary float cannot hold 0.10, and
/// DESIGN §2 forbids `Double` for money. The scale a value was written with is kept (`1.50` prints as `1.50`, which
/// matters when echoing a price back), but equality, hashing and ordering are numeric, so `1.50 == 1.5` and both
/// land in the same VAT-rate bucket.
public struct DecimalValue: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The largest scale: 18 fraction digits is more than any price, quantity, tax or exchange rate needs, and keeps
    /// every power of ten used in the money arithmetic inside Int128.
    public static let maxScale = 18
    /// The most integer digits `init(plain:)` accepts; larger figures are typing errors, not amounts.
    public static let maxIntegerDigits = 30

    public let significand: Int128
    /// Number of fraction digits, 0…18.
    public let scale: Int

    /// `significand / 10^scale`; `scale` must be 0…18 (a programming error otherwise).
    public init(significand: Int128, scale: Int) {
        precondition((0...Self.maxScale).contains(scale), "DecimalValue scale \(scale) is outside 0…18")
        self.significand = significand
        self.scale = scale
    }

    public init(_ int: Int) {
        self.init(significand: Int128(int), scale: 0)
    }

    public static let zero = DecimalValue(0)

    /// Parses a plain decimal: `^-?[0-9]+(\.[0-9]+)?$`, at most 30 integer and 18 fraction digits.
    ///
    /// Deliberately strict. A comma (`249,00`), an exponent (`1e5`), a sign other than `-`, spaces, or a bare point
    /// (`1.`, `.5`) are refused rather than guessed at, because a guessed amount on an invoice is worse than a
    /// refused import. Returns nil as well when the digits together do not fit in Int128 (about 38 digits).
    public init?(plain text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        var significand: Int128 = 0
        func consumeDigits(limit: Int) -> Int? {
            var count = 0
            while index < bytes.count, isDigit(bytes[index]) {
                count += 1
                guard count <= limit else { return nil }
                let (shifted, overflow1) = significand.multipliedReportingOverflow(by: 10)
                let (added, overflow2) = shifted.addingReportingOverflow(Int128(bytes[index] - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { return nil }
                significand = added
                index += 1
            }
            return count
        }

        guard let integerDigits = consumeDigits(limit: Self.maxIntegerDigits), integerDigits > 0 else { return nil }
        var fractionDigits = 0
        if index < bytes.count {
            guard bytes[index] == UInt8(ascii: "."), index + 1 < bytes.count else { return nil }
            index += 1
            guard let count = consumeDigits(limit: Self.maxScale), count > 0 else { return nil }
            fractionDigits = count
        }
        guard index == bytes.count else { return nil }
        self.init(significand: negative ? -significand : significand, scale: fractionDigits)
    }

    public var isZero: Bool { significand == 0 }
    public var isNegative: Bool { significand < 0 }

    /// The same number with trailing fraction zeros dropped: `1.50` → `1.5`, `2.000` → `2`.
    public var normalized: DecimalValue {
        var significand = significand
        var scale = scale
        while scale > 0, significand % 10 == 0 {
            significand /= 10
            scale -= 1
        }
        return DecimalValue(significand: significand, scale: scale)
    }

    /// Significant fraction digits (of the normalized value): `1.50` has 1. Precision limits apply to the number,
    /// not to how many zeros an exporting system happened to append.
    public var fractionDigits: Int { normalized.scale }

    /// The value with its scale kept: `1.50`, `-0.05`, `0`.
    public var description: String {
        // Most values fit 64 bits, whose conversion is far cheaper than the 128-bit one (hot in generation).
        let magnitude = significand.magnitude
        let digits = magnitude <= UInt128(UInt64.max) ? String(UInt64(magnitude)) : String(magnitude)
        let sign = significand < 0 ? "-" : ""
        guard scale > 0 else { return sign + digits }
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        let point = padded.index(padded.endIndex, offsetBy: -scale)
        return sign + padded[..<point] + "." + padded[point...]
    }

    public static func == (lhs: DecimalValue, rhs: DecimalValue) -> Bool {
        if lhs.scale == rhs.scale { return lhs.significand == rhs.significand }
        let l = lhs.normalized, r = rhs.normalized
        return l.significand == r.significand && l.scale == r.scale
    }

    public func hash(into hasher: inout Hasher) {
        let canonical = normalized
        hasher.combine(canonical.significand)
        hasher.combine(canonical.scale)
    }

    public static func < (lhs: DecimalValue, rhs: DecimalValue) -> Bool {
        if lhs.scale == rhs.scale { return lhs.significand < rhs.significand }
        // Aligning scales can exceed Int128, so compare the 256-bit products instead.
        let common = max(lhs.scale, rhs.scale)
        let l = lhs.significand.multipliedFullWidth(by: MoneyMath.pow10(common - lhs.scale))
        let r = rhs.significand.multipliedFullWidth(by: MoneyMath.pow10(common - rhs.scale))
        return (l.high, l.low) < (r.high, r.low)
    }
}
