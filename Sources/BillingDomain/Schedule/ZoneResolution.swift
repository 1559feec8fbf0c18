import Foundation

/// The one place where wall-clock times meet instants.
///
/// Rules (DESIGN §3): a local time that does not exist (DST gap) moves forward by the length of the gap; one that
/// exists twice (DST overlap) takes the first instant. Every caller goes through here so that a preview, a run and
/// a late catch-up resolve the same local time to the same instant.
///
/// Only `TimeZone.secondsFromGMT(for:)` is used: it is a pure lookup in tzdata, unlike `Calendar`, whose gap and
/// overlap policies differ between platforms and Foundation versions.
public enum ZoneResolution {
    /// The instant of `local` in `tz`, and the UTC offset in force at that instant.
    public static func instant(for local: LocalDateTime, in tz: TimeZone) -> (instant: Date, offsetSeconds: Int) {
        let wall = local.secondsSinceEpochAsUTC
        // Any offset in force within the day around `wall` is a candidate (real offsets lie within −12h…+14h, so
        // probing just outside that window sees the offsets on both sides of a nearby transition). One more round
        // of lookups picks up the offset in force at each candidate instant.
        var candidates = Set([offset(atEpochSecond: wall - 15 * 3600, tz), offset(atEpochSecond: wall + 15 * 3600, tz)])
        for candidate in Array(candidates) {
            candidates.insert(offset(atEpochSecond: wall - candidate, tz))
        }
        // A candidate is consistent when the offset in force at `wall − offset` is that offset: the wall time
        // really occurs then. Two consistent candidates mean an overlap: the earlier instant wins.
        let consistent = candidates.filter { offset(atEpochSecond: wall - $0, tz) == $0 }
        if let offset = consistent.max() {                    // the largest offset gives the earliest instant
            return (date(epochSecond: wall - offset), offset)
        }
        // A gap: no offset makes the wall time occur. Reading it with the offset from before the transition (the
        // smallest candidate, since clocks jump forward) lands exactly the gap's length later on the new clock:
        // Stockholm 02:30 read as +01:00 is 01:30Z, which is 03:30 at +02:00.
        let before = candidates.min() ?? 0
        let instant = wall - before
        return (date(epochSecond: instant), offset(atEpochSecond: instant, tz))
    }

    /// The wall-clock time in `tz` at `instant`, truncated to the whole second.
    public static func local(of instant: Date, in tz: TimeZone) -> LocalDateTime {
        let second = epochSecond(of: instant)
        return LocalDateTime(secondsSinceEpochAsUTC: second + offset(atEpochSecond: second, tz))
    }

    /// The UTC offset in force in `tz` at `instant`, in seconds east of UTC.
    public static func offsetSeconds(at instant: Date, in tz: TimeZone) -> Int {
        offset(atEpochSecond: epochSecond(of: instant), tz)
    }

    /// A time zone by IANA name (`Europe/Stockholm`), refusing names tzdata does not know. An empty or unknown
    /// name is a refusal rather than a silent fall-back to UTC, which would move every run by hours.
    public static func timeZone(identifier: String) throws -> TimeZone {
        let name = identifier.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.utf8.count <= 64, hasIANAForm(name), let zone = TimeZone(identifier: name) else {
            throw BillingError(.invalidTimeZone,
                               "'\(identifier.prefix(64))' is not an IANA time zone name (e.g. Europe/Stockholm, UTC); "
                                   + "abbreviations and offsets such as PST, JST or UTC+5 name no daylight-saving rules")
        }
        return zone
    }

    /// A time zone stored by an earlier billingd, which took any name Foundation knows (`JST`, `GMT+5`): a stored
    /// template keeps billing by the rules it was imported with, while new input goes through `timeZone(identifier:)`.
    /// The stored name was checked when it arrived, so only tzdata is asked here: no second check of its form on
    /// generation's hot path, where every due template is decoded.
    public static func storedTimeZone(identifier: String) -> TimeZone? {
        TimeZone(identifier: identifier)
    }

    /// Whether a stored zone name is one that new input would be refused with (only an earlier billingd stored it).
    public static func isLegacyName(_ identifier: String) -> Bool {
        (try? timeZone(identifier: identifier)) == nil
    }

    /// Whether `a` and `b` put the same UTC offset on every instant from `start` for `years` (sampled every three
    /// hours, finer than any two zones' transitions differ): replacing a legacy name (`JST`) by the IANA name with
    /// the same rules (`Asia/Tokyo`) then moves no run.
    public static func sameOffsets(_ a: TimeZone, _ b: TimeZone, from start: Date, years: Int = 5) -> Bool {
        let first = epochSecond(of: start)
        return stride(from: first, through: first + years * 366 * 86_400, by: 3 * 3600)
            .allSatisfy { offset(atEpochSecond: $0, a) == offset(atEpochSecond: $0, b) }
    }

    /// Whether `name` has the form of an IANA zone name (tzdata then has to know it). Foundation also takes
    /// abbreviations (`PST`, `JST`) and offsets (`GMT+5`, `UTC+5`) as identifiers; they are refused because they say
    /// nothing about the daylight-saving rules that the schedule depends on. IANA names are `Area/Location`
    /// (`America/Argentina/Buenos_Aires`, `Etc/UTC`), `UTC`, or one of the few single names that Foundation lists
    /// (`GMT`). Foundation's list alone will not do: it holds ICU's canonical names, which leave out current IANA
    /// names such as `Asia/Kolkata`.
    private static func hasIANAForm(_ name: String) -> Bool {
        if name == "UTC" { return true }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return singleZoneNames.contains(name) }
        return parts.allSatisfy { part in
            part.first?.isUppercase == true
                && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-+".contains($0)) }
        }
    }

    /// Built once, not per name checked.
    private static let singleZoneNames = Set(TimeZone.knownTimeZoneIdentifiers.filter { !$0.contains("/") })

    // Whole seconds since 1970, clamped to ±10^13 s (±300,000 years) so that `Date.distantFuture`, infinities
    // and NaN cannot trap the integer conversion.
    static func epochSecond(of instant: Date) -> Int {
        let seconds = instant.timeIntervalSince1970
        guard !seconds.isNaN else { return 0 }
        return Int(max(-1e13, min(1e13, seconds.rounded(.down))))      // also clamps ±infinity
    }

    static let earliestInstant = Date(timeIntervalSince1970: -1e13)
    static let latestInstant = Date(timeIntervalSince1970: 1e13)

    static func date(epochSecond: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(epochSecond))
    }

    static func offset(atEpochSecond second: Int, _ tz: TimeZone) -> Int {
        tz.secondsFromGMT(for: date(epochSecond: second))
    }
}

extension LocalDate {
    /// The first instant of this day in `tz`: local midnight, or, where midnight falls in a DST gap (zones that
    /// switch at 00:00), the moment the clock jumps to. Due-date and past-due boundaries are drawn here.
    public func startInstant(in tz: TimeZone) -> Date {
        ZoneResolution.instant(for: LocalDateTime(date: self, time: .midnight), in: tz).instant
    }
}
