import Foundation

extension LocalDateTime {
    /// The forms `parse` accepts, quoted in its refusals so the sender can fix the document without the manual.
    public static let acceptedForms =
        "YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS (fractional seconds such as .0000000 allowed), "
        + "a time optionally followed by an offset Z or ±HH:MM"

    /// Parses a date or date-time from an import document into the wall-clock time of `timeZone`.
    ///
    /// Without an offset the text already is local to the template's zone (DESIGN §4). With one it names an instant,
    /// which is converted to the zone's wall time, so `2027-01-31T08:00:00Z` in Europe/Stockholm is 09:00.
    /// Fractional seconds are dropped (SOAP sends `.0000000`): schedules work in whole seconds. A date-only form
    /// with an offset is refused: which day it means would depend on the zone, and a silent shift of the date by
    /// one is worse than a refusal.
    public static func parse(_ text: String, in timeZone: TimeZone) throws -> LocalDateTime {
        guard let parsed = ParsedDateTime(text) else {
            throw BillingError(.invalidDate, "'\(text.prefix(64))' is not a date; expected \(acceptedForms)")
        }
        guard let date = LocalDate(year: parsed.year, month: parsed.month, day: parsed.day) else {
            let days = LocalDate.daysIn(year: parsed.year, month: parsed.month)
            let why = days == 0 ? "month \(parsed.month) does not exist"
                : (1...9999).contains(parsed.year)
                    ? "\(parsed.year)-\(ASCIIDigits.padded(parsed.month, 2)) has \(days) days"
                : "year \(parsed.year) is out of range"
            throw BillingError(.invalidDate, "'\(text.prefix(64))' is not a valid date: \(why)")
        }
        guard let time = LocalTime(hour: parsed.hour, minute: parsed.minute, second: parsed.second) else {
            throw BillingError(.invalidDate,
                               "'\(text.prefix(64))' is not a valid time of day (00:00:00 to 23:59:59)")
        }
        let local = LocalDateTime(date: date, time: time)
        guard let offset = parsed.offsetSeconds else { return local }
        let instant = ZoneResolution.date(epochSecond: local.secondsSinceEpochAsUTC - offset)
        return ZoneResolution.local(of: instant, in: timeZone)
    }
}

/// The fields of the accepted text forms, range-checked only where the grammar needs it (offset); date and time
/// validity are checked by the caller so that it can say which part is wrong.
private struct ParsedDateTime {
    var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
    var offsetSeconds: Int?

    init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count >= 10, b.count <= 40 else { return nil }
        func number(_ range: Range<Int>) -> Int? { range.upperBound <= b.count ? ASCIIDigits.value(b[range]) : nil }
        func byte(_ i: Int, _ ascii: Unicode.Scalar) -> Bool { i < b.count && b[i] == UInt8(ascii: ascii) }

        guard let y = number(0..<4), byte(4, "-"), let m = number(5..<7), byte(7, "-"), let d = number(8..<10)
        else { return nil }
        (year, month, day) = (y, m, d)
        if b.count == 10 { return }

        guard byte(10, "T"), let h = number(11..<13), byte(13, ":"), let mi = number(14..<16) else { return nil }
        (hour, minute) = (h, mi)
        var i = 16
        if byte(i, ":") {
            guard let s = number(17..<19) else { return nil }
            second = s
            i = 19
            if byte(i, ".") {
                // Fractional seconds: at least one digit, then dropped.
                i += 1
                let start = i
                while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") { i += 1 }
                guard i > start else { return nil }
            }
        }
        if i == b.count { return }

        if byte(i, "Z") {
            offsetSeconds = 0
            i += 1
        } else if byte(i, "+") || byte(i, "-") {
            let sign = byte(i, "-") ? -1 : 1
            guard let oh = number(i + 1..<i + 3), byte(i + 3, ":"), let om = number(i + 4..<i + 6),
                  oh <= 18, om <= 59
            else { return nil }
            offsetSeconds = sign * (oh * 3600 + om * 60)
            i += 6
        }
        guard i == b.count else { return nil }
    }
}
