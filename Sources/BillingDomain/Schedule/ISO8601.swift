import Foundation

/// ISO 8601 text for instants, as the JSON answers print them (DESIGN §4: "instants are ISO 8601 with offset").
///
/// Formatted by hand from the epoch second rather than with `ISO8601DateFormatter`: the offset must be the one the
/// schedule resolved (not the formatter's zone), and the output must not depend on locale or Foundation version.
public enum ISO8601 {
    /// `2027-01-31T09:00:00+01:00`: the wall time at `offsetSeconds` east of UTC, and that offset. Sub-second
    /// parts are truncated. An offset with seconds (pre-1900 local mean time) is written `±HH:MM:SS`, so that
    /// the text still names the exact instant.
    public static func formatInstant(_ date: Date, offsetSeconds: Int) -> String {
        let local = LocalDateTime(secondsSinceEpochAsUTC: ZoneResolution.epochSecond(of: date) + offsetSeconds)
        let magnitude = offsetSeconds.magnitude
        var offset = (offsetSeconds < 0 ? "-" : "+")
            + ASCIIDigits.padded(Int(magnitude / 3600), 2) + ":" + ASCIIDigits.padded(Int(magnitude / 60 % 60), 2)
        if magnitude % 60 != 0 { offset += ":" + ASCIIDigits.padded(Int(magnitude % 60), 2) }
        return "\(local)\(offset)"
    }

    /// `2027-01-31T08:00:00Z`.
    public static func formatUTC(_ date: Date) -> String {
        "\(LocalDateTime(secondsSinceEpochAsUTC: ZoneResolution.epochSecond(of: date)))Z"
    }

    /// `formatInstant` for a run, with the offset its zone had then.
    public static func format(_ run: ScheduledRun) -> String {
        formatInstant(run.instant, offsetSeconds: run.utcOffsetSeconds)
    }
}
