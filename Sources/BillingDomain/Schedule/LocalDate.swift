/// A calendar date with no time zone: what a customer reads on an invoice (issue date, due date, EndDate).
///
/// Proleptic Gregorian calendar. The arithmetic is done on a day count (1970-01-01 = 0) with Howard Hinnant's
/// civil-from-days algorithms, so it needs no `Calendar`, is exact for any year and costs a few integer operations,
/// which matters when a schedule is asked for run 40,000.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A validated date; nil for a month outside 1–12, a day outside the month, or a year outside 1–9999 (the
    /// `YYYY-MM-DD` text form has exactly four year digits, and every date we accept must survive a round trip).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= LocalDate.daysIn(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Strict `YYYY-MM-DD` (ASCII digits only, no surrounding space, no time part).
    public init?(iso text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = ASCIIDigits.value(bytes[0..<4]),
              let month = ASCIIDigits.value(bytes[5..<7]),
              let day = ASCIIDigits.value(bytes[8..<10])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The date `days` days after 1970-01-01 (negative: before). Never fails: dates produced by arithmetic are
    /// not range-checked, because a schedule far in the future must still answer instead of crashing.
    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097                                          // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365     // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)                    // [0, 365], March-based
        let mp = (5 * doy + 2) / 153                                         // [0, 11], March = 0
        let month = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = doy - (153 * mp + 2) / 5 + 1
    }

    /// Days since 1970-01-01 (which is 0).
    public var daysSinceEpoch: Int {
        // Counting years from March puts the leap day at the end of the year, so the month lengths before any
        // day of the year follow the fixed 153/5 pattern.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public func adding(days: Int) -> LocalDate {
        LocalDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// The same day `months` months later (or earlier), clamped to the length of the target month: Jan 31 + 1
    /// month is Feb 28 (29). Clamping is lossy, which is why schedules always add to the anchor, never chain.
    public func adding(months: Int) -> LocalDate {
        let index = year * 12 + (month - 1) + months
        let newYear = index >= 0 ? index / 12 : (index - 11) / 12
        let newMonth = index - newYear * 12 + 1
        return LocalDate(unchecked: newYear, newMonth, min(day, LocalDate.daysIn(year: newYear, month: newMonth)))
    }

    public static func isLeap(year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month (28–31); 0 for a month outside 1–12.
    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeap(year: year) ? 29 : 28
        default: return 0
        }
    }

    /// 1 = Monday … 7 = Sunday (ISO 8601). 1970-01-01 was a Thursday.
    public var isoWeekday: Int {
        let d = daysSinceEpoch
        return ((d % 7 + 7 + 3) % 7) + 1
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public var description: String {
        "\(ASCIIDigits.padded(year, 4))-\(ASCIIDigits.padded(month, 2))-\(ASCIIDigits.padded(day, 2))"
    }

    /// For arithmetic results that are valid by construction but may leave the 1–9999 range of `init?`.
    init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }
}

/// Fixed-width ASCII number fields, shared by the date/time parsers and formatters of this folder.
enum ASCIIDigits {
    /// The value of a run of ASCII digits; nil if any byte is not `0`–`9` (rejects `+`, spaces, Unicode digits).
    static func value(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var result = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            result = result * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return result
    }

    /// Zero-padded to `width` digits; a leading `-` for negative numbers (years before 1 from arithmetic).
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padding = String(repeating: "0", count: max(0, width - digits.count))
        return (value < 0 ? "-" : "") + padding + digits
    }
}
