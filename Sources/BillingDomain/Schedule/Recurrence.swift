/// How often a template runs: a calendar unit and a whole number of them (RepeatVery).
///
/// Months and years are calendar months and years (the day is clamped to short months by `Schedule`), not fixed
/// numbers of days, so "Monthly" bills on the same day of every month.
public struct Recurrence: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable, Hashable, CaseIterable {
        case day, week, month, year
    }

    public let unit: Unit
    /// How many units between runs, 1…`maxInterval`.
    public let interval: Int

    /// The largest N of `Every N …`. A bound keeps schedule arithmetic far from overflow and catches typos
    /// (`Every 100000 Days`) that no one means.
    public static let maxInterval = 1000

    /// The forms `parse` accepts, quoted in its refusal.
    public static let acceptedForms =
        "Daily, Weekly, Fortnightly (Biweekly), Monthly, Bimonthly, Quarterly, HalfYearly (Semiannually), "
        + "Yearly (Annually), or Every N Days|Weeks|Months|Years with N from 1 to \(maxInterval)"

    public init(unit: Unit, interval: Int = 1) throws {
        guard (1...Recurrence.maxInterval).contains(interval) else {
            throw BillingError(.invalidRepeat, "an interval of \(interval) \(unit.rawValue)s is out of range "
                               + "1 to \(Recurrence.maxInterval)")
        }
        self.unit = unit
        self.interval = interval
    }

    private init(_ unit: Unit, _ interval: Int) {
        self.unit = unit
        self.interval = interval
    }

    public static let daily = Recurrence(.day, 1)
    public static let weekly = Recurrence(.week, 1)
    public static let fortnightly = Recurrence(.week, 2)
    public static let monthly = Recurrence(.month, 1)
    public static let bimonthly = Recurrence(.month, 2)
    public static let quarterly = Recurrence(.month, 3)
    public static let halfYearly = Recurrence(.month, 6)
    public static let yearly = Recurrence(.year, 1)

    /// The named forms, lower-cased, and what they mean. "Bimonthly" is every two months, as in the source
    /// system, not twice a month.
    private static let names: [String: Recurrence] = [
        "daily": .daily, "weekly": .weekly, "fortnightly": .fortnightly, "biweekly": .fortnightly,
        "monthly": .monthly, "bimonthly": .bimonthly, "quarterly": .quarterly,
        "halfyearly": .halfYearly, "semiannually": .halfYearly, "yearly": .yearly, "annually": .yearly,
    ]

    private static let unitWords: [String: Unit] = [
        "day": .day, "days": .day, "week": .week, "weeks": .week,
        "month": .month, "months": .month, "year": .year, "years": .year,
    ]

    /// Parses a RepeatVery value: case-insensitive, surrounding and repeated spaces ignored. Anything else is
    /// refused with `INVALID_REPEAT`, naming the value and the accepted forms, because a guessed schedule bills
    /// customers on wrong dates.
    public static func parse(_ repeatVery: String) throws -> Recurrence {
        let words = repeatVery.lowercased().split(whereSeparator: { $0.isWhitespace }).map(String.init)
        if words.count == 1, let named = names[words[0]] {
            return named
        }
        if words.count == 3, words[0] == "every", let unit = unitWords[words[2]],
           let n = ASCIIDigits.value(ArraySlice(words[1].utf8)), (1...maxInterval).contains(n) {
            return Recurrence(unit, n)
        }
        if words.isEmpty {
            throw BillingError(.invalidRepeat, "RepeatVery is empty; accepted: \(acceptedForms)")
        }
        throw BillingError(.invalidRepeat,
                           "RepeatVery '\(repeatVery.prefix(64))' is not a known schedule; accepted: \(acceptedForms)")
    }

    /// The canonical RepeatVery text: the name where the import accepts one (`Monthly`, `Fortnightly`,
    /// `Quarterly`), otherwise `Every N Units` (`Every 3 Weeks`). Parsing it gives back the same value.
    public var description: String {
        switch (unit, interval) {
        case (.day, 1): return "Daily"
        case (.week, 1): return "Weekly"
        case (.week, 2): return "Fortnightly"
        case (.month, 1): return "Monthly"
        case (.month, 2): return "Bimonthly"
        case (.month, 3): return "Quarterly"
        case (.month, 6): return "HalfYearly"
        case (.year, 1): return "Yearly"
        default: return "Every \(interval) \(unit.rawValue.prefix(1).uppercased())\(unit.rawValue.dropFirst())s"
        }
    }
}
