import Foundation

/// One run of a schedule, resolved to an instant.
public struct ScheduledRun: Sendable, Hashable {
    /// k: 0 is the anchor (RunDate).
    public var index: Int
    /// The wall-clock time of the run in the schedule's zone: the anchor's time of day, unless that time did not
    /// exist on the run's date (DST gap), where it is the time the clock showed then. `local` always equals
    /// `instant` + `utcOffsetSeconds`, so the three can be printed side by side without contradicting each other.
    /// Its date is the invoice's issue date.
    public var local: LocalDateTime
    public var instant: Date
    public var utcOffsetSeconds: Int

    public init(index: Int, local: LocalDateTime, instant: Date, utcOffsetSeconds: Int) {
        self.index = index
        self.local = local
        self.instant = instant
        self.utcOffsetSeconds = utcOffsetSeconds
    }
}

/// A template's runs: run k is computed from the anchor and k alone (DESIGN §3), never from run k−1, so clamping
/// (Jan 31 → Feb 28) does not drift into later months, and any run can be computed, previewed or caught up on
/// without replaying the ones before it.
public struct Schedule: Sendable, Hashable {
    public let anchor: LocalDateTime
    public let recurrence: Recurrence
    public let timeZone: TimeZone
    /// The last local date a run may fall on, inclusive.
    public let endDate: LocalDate?
    /// The number of runs, counting run 0.
    public let maxRuns: Int?

    public init(anchor: LocalDateTime, recurrence: Recurrence, timeZone: TimeZone, endDate: LocalDate? = nil,
                maxRuns: Int? = nil) {
        self.anchor = anchor
        self.recurrence = recurrence
        self.timeZone = timeZone
        self.endDate = endDate
        self.maxRuns = maxRuns
    }

    /// Run indices are clamped to this magnitude before any arithmetic (daily runs reach year 270,000 there), so
    /// no index, however corrupt, can trap on overflow.
    static let indexLimit = 100_000_000

    /// Run k as the schedule's arithmetic defines it, before time-zone resolution: months and years add to the
    /// anchor's month and clamp the anchor's day to the month's length; days and weeks add calendar days. The time
    /// of day is always the anchor's.
    public func localRun(_ k: Int) -> LocalDateTime {
        let k = max(-Schedule.indexLimit, min(Schedule.indexLimit, k))
        let date: LocalDate
        switch recurrence.unit {
        case .day: date = anchor.date.adding(days: k * recurrence.interval)
        case .week: date = anchor.date.adding(days: k * recurrence.interval * 7)
        case .month: date = anchor.date.adding(months: k * recurrence.interval)
        case .year: date = anchor.date.adding(months: k * recurrence.interval * 12)
        }
        return LocalDateTime(date: date, time: anchor.time)
    }

    /// Run k resolved in the schedule's zone; nil when k is negative, k ≥ maxRuns, or the run's local date is after
    /// endDate. Runs past the end never come back, so the first nil ends the schedule.
    public func run(_ k: Int) -> ScheduledRun? {
        guard k >= 0, k < maxRuns ?? Int.max else { return nil }
        let run = resolvedRun(k)
        if let endDate, run.local.date > endDate { return nil }
        return run
    }

    /// Up to `count` consecutive runs starting at run k, fewer if the schedule ends first.
    public func runs(from k: Int, count: Int) -> [ScheduledRun] {
        var result: [ScheduledRun] = []
        var index = max(0, k)
        while result.count < count, let run = run(index) {
            result.append(run)
            index += 1
        }
        return result
    }

    /// The smallest k ≥ 0 whose resolved instant is at or after `instant`: the next run due at that moment.
    /// endDate and maxRuns are not applied: `run(_:)` on the answer says whether that run exists.
    ///
    /// The index is estimated from the calendar distance between the anchor and the instant's local date, then
    /// corrected by stepping; the estimate is off by at most one or two runs, so this costs a handful of zone
    /// lookups whether the answer is 3 or 40,000.
    public func firstRunIndex(atOrAfter instant: Date) -> Int {
        // Instants beyond ±300,000 years (infinities, corrupt input) are clamped first: compared raw, an infinite
        // instant would send the stepping below through every index up to the limit.
        let instant = min(max(instant, ZoneResolution.earliestInstant), ZoneResolution.latestInstant)
        let target = ZoneResolution.local(of: instant, in: timeZone).date
        let estimate: Int
        switch recurrence.unit {
        case .day, .week:
            let days = recurrence.interval * (recurrence.unit == .week ? 7 : 1)
            estimate = floorDivide(target.daysSinceEpoch - anchor.date.daysSinceEpoch, days)
        case .month, .year:
            let months = recurrence.interval * (recurrence.unit == .year ? 12 : 1)
            let elapsed = (target.year * 12 + target.month) - (anchor.date.year * 12 + anchor.date.month)
            estimate = floorDivide(elapsed, months)
        }
        var k = max(0, min(Schedule.indexLimit, estimate))
        // Resolved instants never decrease with k (each run is on a later local date, and DST moves a wall time
        // by hours, not days), so stepping from the estimate finds the boundary.
        while k > 0, resolvedRun(k - 1).instant >= instant { k -= 1 }
        while k < Schedule.indexLimit, resolvedRun(k).instant < instant { k += 1 }
        return k
    }

    private func resolvedRun(_ k: Int) -> ScheduledRun {
        let (instant, offset) = ZoneResolution.instant(for: localRun(k), in: timeZone)
        let local = LocalDateTime(secondsSinceEpochAsUTC: ZoneResolution.epochSecond(of: instant) + offset)
        return ScheduledRun(index: k, local: local, instant: instant, utcOffsetSeconds: offset)
    }

    private func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
