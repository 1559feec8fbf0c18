import Foundation

/// What to do after downtime with runs that fell due while nobody was generating them.
public enum CatchUpPolicy: String, Sendable, CaseIterable {
    /// Every missed run once, oldest first (the default: nothing a customer owes is forgotten).
    case all
    /// Only the newest due run; older ones are skipped and the history says so.
    case latest
    /// Runs more than the grace period late are skipped; the run due now (if any) is still generated.
    case skip
}

/// Which due runs of one template a wake generates, which it skips, and whether the template must pause.
public struct CatchUpPlan: Sendable, Equatable {
    public var generate: [ScheduledRun]
    /// Run indexes passed over without an invoice (policy `latest` or `skip`).
    public var skipped: Range<Int>?
    /// The index the template's next run will be after this wake.
    public var nextRunIndex: Int
    /// Set when more runs were due than the per-wake limit allows: the template pauses with this reason.
    public var pauseReason: String?

    /// Plans the runs of `schedule` from `nextRunIndex` that are due at `now`.
    ///
    /// The limit bounds one wake's work per template: a template imported with a RunDate years in the past (a
    /// typo in the year) stops after `limit` invoices and pauses for an operator, instead of billing a customer
    /// hundreds of times before anyone looks.
    ///
    /// `passCap` bounds how many runs one transaction takes (a long catch-up commits in steps, so a crash loses
    /// at most one step and memory stays flat); reaching it is not a reason to pause, the next pass continues.
    public static func plan(
        schedule: Schedule, nextRunIndex: Int, now: Date, policy: CatchUpPolicy, limit: Int,
        passCap: Int = .max, graceSeconds: TimeInterval = 3600
    ) -> CatchUpPlan {
        var due: [ScheduledRun] = []
        var index = nextRunIndex
        let cap = min(max(0, limit), max(1, passCap))
        // Counting stops one past the cap: enough to know it was exceeded without walking years of runs.
        let countLimit = policy == .all ? cap + 1 : Int.max
        while due.count < countLimit, let run = schedule.run(index), run.instant <= now {
            due.append(run)
            index += 1
            if policy != .all, due.count > 1 { due.removeFirst() }
        }
        switch policy {
        case .all:
            if due.count > cap {
                let generated = Array(due.prefix(cap))
                let next = (generated.last?.index ?? nextRunIndex - 1) + 1
                guard cap == limit else {
                    return CatchUpPlan(generate: generated, skipped: nil, nextRunIndex: next, pauseReason: nil)
                }
                return CatchUpPlan(
                    generate: generated, skipped: nil, nextRunIndex: next,
                    pauseReason: "More runs were due than catch_up_limit allows in one wake; the oldest were invoiced up to the limit and the template paused. Check its RunDate, then resume it to continue.")
            }
            return CatchUpPlan(generate: due, skipped: nil, nextRunIndex: index, pauseReason: nil)
        case .latest:
            guard let latest = due.last else {
                return CatchUpPlan(generate: [], skipped: nil, nextRunIndex: index, pauseReason: nil)
            }
            let skipped = latest.index > nextRunIndex ? nextRunIndex..<latest.index : nil
            return CatchUpPlan(generate: [latest], skipped: skipped, nextRunIndex: index, pauseReason: nil)
        case .skip:
            guard let latest = due.last else {
                return CatchUpPlan(generate: [], skipped: nil, nextRunIndex: index, pauseReason: nil)
            }
            let onTime = now.timeIntervalSince(latest.instant) <= graceSeconds
            let firstKept = onTime ? latest.index : index
            let skipped = firstKept > nextRunIndex ? nextRunIndex..<firstKept : nil
            return CatchUpPlan(generate: onTime ? [latest] : [], skipped: skipped, nextRunIndex: index, pauseReason: nil)
        }
    }
}
