/// A wall-clock time of day with no time zone, to the second. Billing never needs finer: SOAP's fractional
/// seconds are dropped at import so that a schedule's runs fall on whole seconds and compare exactly.
public struct LocalTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let hour: Int
    public let minute: Int
    public let second: Int

    /// nil outside 00:00:00–23:59:59 (no leap seconds, no 24:00: a run is on one day or the next, never both).
    public init?(hour: Int, minute: Int, second: Int = 0) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// From seconds after midnight, reduced into 0..<86400.
    public init(secondsSinceMidnight seconds: Int) {
        let s = ((seconds % 86_400) + 86_400) % 86_400
        self.hour = s / 3600
        self.minute = s / 60 % 60
        self.second = s % 60
    }

    public static let midnight = LocalTime(secondsSinceMidnight: 0)

    public var secondsSinceMidnight: Int { hour * 3600 + minute * 60 + second }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool {
        lhs.secondsSinceMidnight < rhs.secondsSinceMidnight
    }

    /// `HH:MM:SS`.
    public var description: String {
        "\(ASCIIDigits.padded(hour, 2)):\(ASCIIDigits.padded(minute, 2)):\(ASCIIDigits.padded(second, 2))"
    }
}
