import Foundation
import TestSupport
import Testing
@testable import BillingDomain

/// Which missed runs a wake generates after downtime, under the policies all / latest / skip and the per-wake limit.
///
/// The fixture is monthly from 2026-01-31 09:00 Europe/Stockholm: runs 0…10 fall on Jan 31, Feb 28, Mar 31, Apr 30,
/// May 31, Jun 30, Jul 31, Aug 31, Sep 30, Oct 31 and Nov 30 (08:00Z in winter, 07:00Z in summer); run 11 is Dec 31.
@Suite struct CatchUpPlanTests {
    static let runDates = [
        "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30",
        "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30",
    ]
    static let midDecember = ScheduleFixtures.instant("2026-12-15T12:00:00Z")
    static let run10 = ScheduleFixtures.instant("2026-11-30T08:00:00Z")

    static func monthly(endDate: String? = nil, maxRuns: Int? = nil) throws -> Schedule {
        try ScheduleFixtures.schedule("2026-01-31T09:00:00", "Monthly", "Europe/Stockholm",
                                      endDate: endDate, maxRuns: maxRuns)
    }

    static func plan(_ schedule: Schedule, from index: Int = 0, now: Date = midDecember, _ policy: CatchUpPolicy,
                     limit: Int = 120, passCap: Int = .max, grace: TimeInterval = 3600) -> CatchUpPlan {
        CatchUpPlan.plan(schedule: schedule, nextRunIndex: index, now: now, policy: policy, limit: limit,
                         passCap: passCap, graceSeconds: grace)
    }

    // MARK: all

    @Test func allGeneratesEveryMissedRunOnceOldestFirst() throws {
        let plan = Self.plan(try Self.monthly(), .all)
        #expect(plan.generate.map(\.index) == Array(0...10))
        #expect(plan.generate.map(\.local.date.description) == Self.runDates)
        #expect(plan.generate.first?.instant == ScheduleFixtures.instant("2026-01-31T08:00:00Z"))
        #expect(plan.generate.last?.instant == Self.run10)
        #expect(plan.nextRunIndex == 11)
        #expect(plan.skipped == nil)
        #expect(plan.pauseReason == nil)
    }

    @Test func allStartsAtTheTemplatesNextRunIndex() throws {
        let plan = Self.plan(try Self.monthly(), from: 4, .all)
        #expect(plan.generate.map(\.index) == Array(4...10))
        #expect(plan.nextRunIndex == 11)
    }

    @Test func allStopsAtTheLimitAndPausesNamingTheLimit() throws {
        let plan = Self.plan(try Self.monthly(), .all, limit: 5)
        #expect(plan.generate.map(\.index) == [0, 1, 2, 3, 4])
        #expect(plan.nextRunIndex == 5)
        #expect(plan.skipped == nil)
        let reason = try #require(plan.pauseReason)
        #expect(reason.contains("catch_up_limit"))
        #expect(reason.contains("paused"))
    }

    @Test func allLimitCountsFromTheNextRunIndex() throws {
        let plan = Self.plan(try Self.monthly(), from: 3, .all, limit: 5)
        #expect(plan.generate.map(\.index) == [3, 4, 5, 6, 7])
        #expect(plan.nextRunIndex == 8)
        #expect(plan.pauseReason != nil)
    }

    @Test func allWithExactlyLimitRunsDueDoesNotPause() throws {
        let plan = Self.plan(try Self.monthly(), .all, limit: 11)
        #expect(plan.generate.count == 11)
        #expect(plan.nextRunIndex == 11)
        #expect(plan.pauseReason == nil)
    }

    @Test func allWithOneRunMoreThanTheLimitPauses() throws {
        let plan = Self.plan(try Self.monthly(), .all, limit: 10)
        #expect(plan.generate.map(\.index) == Array(0...9))
        #expect(plan.nextRunIndex == 10)
        #expect(plan.pauseReason?.contains("catch_up_limit") == true)
    }

    // MARK: passCap (one transaction's share of a wake)

    @Test func allStopsAtThePassCapWithoutPausing() throws {
        let plan = Self.plan(try Self.monthly(), .all, limit: 120, passCap: 4)
        #expect(plan.generate.map(\.index) == [0, 1, 2, 3])
        #expect(plan.nextRunIndex == 4)
        #expect(plan.pauseReason == nil)
        let nextPass = Self.plan(try Self.monthly(), from: 4, .all, limit: 116, passCap: 4)
        #expect(nextPass.generate.map(\.index) == [4, 5, 6, 7])
        #expect(nextPass.nextRunIndex == 8)
    }

    @Test func limitSmallerThanOrEqualToThePassCapStillPauses() throws {
        let equal = Self.plan(try Self.monthly(), .all, limit: 4, passCap: 4)
        #expect(equal.generate.map(\.index) == [0, 1, 2, 3])
        #expect(equal.pauseReason?.contains("catch_up_limit") == true)
        let smaller = Self.plan(try Self.monthly(), from: 2, .all, limit: 3, passCap: 16)
        #expect(smaller.generate.map(\.index) == [2, 3, 4])
        #expect(smaller.nextRunIndex == 5)
        #expect(smaller.pauseReason != nil)
    }

    @Test func passCapWithAllRemainingRunsFittingDoesNothingSpecial() throws {
        let plan = Self.plan(try Self.monthly(), from: 7, .all, limit: 120, passCap: 4)
        #expect(plan.generate.map(\.index) == [7, 8, 9, 10])
        #expect(plan.nextRunIndex == 11)
        #expect(plan.pauseReason == nil)
    }

    @Test func passCapBelowOneStillMakesProgress() throws {
        let plan = Self.plan(try Self.monthly(), .all, limit: 120, passCap: 0)
        #expect(plan.generate.map(\.index) == [0])
        #expect(plan.nextRunIndex == 1)
        #expect(plan.pauseReason == nil)
    }

    @Test func passCapDoesNotApplyToLatestOrSkip() throws {
        let latest = Self.plan(try Self.monthly(), .latest, passCap: 2)
        #expect(latest.generate.map(\.index) == [10])
        #expect(latest.skipped == 0..<10)
        let skip = Self.plan(try Self.monthly(), now: Self.run10.addingTimeInterval(60), .skip, passCap: 2)
        #expect(skip.generate.map(\.index) == [10])
        #expect(skip.nextRunIndex == 11)
    }

    // MARK: latest

    @Test func latestGeneratesOnlyTheNewestDueRunAndSkipsTheRest() throws {
        let plan = Self.plan(try Self.monthly(), .latest)
        #expect(plan.generate.map(\.index) == [10])
        #expect(plan.generate.first?.local.date.description == "2026-11-30")
        #expect(plan.skipped == 0..<10)
        #expect(plan.nextRunIndex == 11)
        #expect(plan.pauseReason == nil)
    }

    @Test func latestWithOnlyOneRunDueSkipsNothing() throws {
        let plan = Self.plan(try Self.monthly(), from: 10, .latest)
        #expect(plan.generate.map(\.index) == [10])
        #expect(plan.skipped == nil)
        #expect(plan.nextRunIndex == 11)
    }

    @Test func latestIsNotBoundByTheLimit() throws {
        let plan = Self.plan(try Self.monthly(), .latest, limit: 2)
        #expect(plan.generate.map(\.index) == [10])
        #expect(plan.skipped == 0..<10)
        #expect(plan.pauseReason == nil)
    }

    // MARK: skip

    @Test func skipGeneratesTheRunDueWithinTheGracePeriodAndSkipsOlderOnes() throws {
        let plan = Self.plan(try Self.monthly(), now: Self.run10.addingTimeInterval(30 * 60), .skip)
        #expect(plan.generate.map(\.index) == [10])
        #expect(plan.skipped == 0..<10)
        #expect(plan.nextRunIndex == 11)
        #expect(plan.pauseReason == nil)
    }

    @Test func skipGeneratesNothingWhenTheNewestRunIsPastTheGracePeriod() throws {
        let plan = Self.plan(try Self.monthly(), .skip)
        #expect(plan.generate.isEmpty)
        #expect(plan.skipped == 0..<11)
        #expect(plan.nextRunIndex == 11)
    }

    @Test func skipGracePeriodIncludesItsLastSecond() throws {
        let atEdge = Self.plan(try Self.monthly(), from: 10, now: Self.run10.addingTimeInterval(3600), .skip)
        #expect(atEdge.generate.map(\.index) == [10])
        #expect(atEdge.skipped == nil)
        let pastEdge = Self.plan(try Self.monthly(), from: 10, now: Self.run10.addingTimeInterval(3601), .skip)
        #expect(pastEdge.generate.isEmpty)
        #expect(pastEdge.skipped == 10..<11)
        #expect(pastEdge.nextRunIndex == 11)
    }

    @Test func skipHonoursACustomGracePeriod() throws {
        let now = Self.run10.addingTimeInterval(2 * 86_400)
        #expect(Self.plan(try Self.monthly(), now: now, .skip, grace: 3 * 86_400).generate.map(\.index) == [10])
        #expect(Self.plan(try Self.monthly(), now: now, .skip, grace: 86_400).generate.isEmpty)
    }

    // MARK: Nothing due, end of schedule

    @Test(arguments: CatchUpPolicy.allCases)
    func nothingDueGivesAnEmptyPlanAndKeepsTheIndex(policy: CatchUpPolicy) throws {
        let beforeRun0 = ScheduleFixtures.instant("2026-01-31T07:59:59Z")
        let early = Self.plan(try Self.monthly(), now: beforeRun0, policy)
        #expect(early == CatchUpPlan(generate: [], skipped: nil, nextRunIndex: 0, pauseReason: nil))
        let upToDate = Self.plan(try Self.monthly(), from: 11, policy)
        #expect(upToDate == CatchUpPlan(generate: [], skipped: nil, nextRunIndex: 11, pauseReason: nil))
    }

    @Test func runIsDueAtItsExactInstant() throws {
        let plan = Self.plan(try Self.monthly(), now: ScheduleFixtures.instant("2026-01-31T08:00:00Z"), .all)
        #expect(plan.generate.map(\.index) == [0])
        #expect(plan.nextRunIndex == 1)
    }

    @Test func endDateStopsThePlan() throws {
        let schedule = try Self.monthly(endDate: "2026-06-30")      // the end date itself still runs
        let all = Self.plan(schedule, .all)
        #expect(all.generate.map(\.index) == Array(0...5))
        #expect(all.nextRunIndex == 6)
        let latest = Self.plan(schedule, .latest)
        #expect(latest.generate.map(\.index) == [5])
        #expect(latest.skipped == 0..<5)
        #expect(latest.nextRunIndex == 6)
    }

    @Test func maxRunsStopsThePlan() throws {
        let schedule = try Self.monthly(maxRuns: 3)
        let all = Self.plan(schedule, .all)
        #expect(all.generate.map(\.index) == [0, 1, 2])
        #expect(all.nextRunIndex == 3)
        #expect(all.pauseReason == nil)
        let skip = Self.plan(schedule, .skip)
        #expect(skip.generate.isEmpty)
        #expect(skip.skipped == 0..<3)
        #expect(Self.plan(schedule, from: 3, .all) == CatchUpPlan(generate: [], skipped: nil, nextRunIndex: 3,
                                                                   pauseReason: nil))
    }

    // MARK: Property

    static let zones = ["Europe/Stockholm", "America/New_York", "Australia/Sydney", "Pacific/Auckland",
                        "Asia/Kathmandu", "UTC", "Australia/Lord_Howe", "America/Havana"]
    static let repeats = ["Daily", "Weekly", "Fortnightly", "Monthly", "Quarterly", "Yearly", "Every 3 Days",
                          "Every 5 Weeks", "Every 7 Months"]

    /// For random schedules and random `now`, `all` without a binding limit generates exactly the runs with
    /// instant ≤ now from nextRunIndex, in increasing order, and advances nextRunIndex past them.
    @Test(arguments: Array(UInt64(1)...UInt64(150)))
    func allWithoutLimitGeneratesExactlyTheDueRunsInOrder(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let anchor = LocalDateTime(
            year: random.int(in: 2000...2035), month: random.int(in: 1...12), day: random.int(in: 1...31) % 28 + 1,
            hour: random.int(in: 0...23), minute: random.pick([0, 15, 30, 59]), second: 0)!
        let endDate = random.chance(25) ? anchor.date.adding(days: random.int(in: 0...2000)) : nil
        let maxRuns = random.chance(25) ? random.int(in: 1...60) : nil
        let schedule = Schedule(anchor: anchor, recurrence: try Recurrence.parse(random.pick(Self.repeats)),
                                timeZone: ScheduleFixtures.zone(random.pick(Self.zones)), endDate: endDate,
                                maxRuns: maxRuns)
        let start = random.int(in: 0...20)
        let anchorInstant = ZoneResolution.instant(for: anchor, in: schedule.timeZone).instant
        let now = anchorInstant.addingTimeInterval(TimeInterval(random.int(in: -30 * 86_400...3_000 * 86_400)))
        let context = "seed \(seed): \(anchor) \(schedule.recurrence) \(schedule.timeZone.identifier) start \(start)"

        let plan = CatchUpPlan.plan(schedule: schedule, nextRunIndex: start, now: now, policy: .all, limit: 100_000)

        // Oracle: runs with instant ≤ now are those before the first run strictly after now; the end of the
        // schedule (maxRuns, endDate) cuts that short.
        var boundary = schedule.firstRunIndex(atOrAfter: now.addingTimeInterval(0.5))
        if let maxRuns { boundary = min(boundary, maxRuns) }
        if let endDate {
            boundary = min(boundary, (0...boundary).first { schedule.localRun($0).date > endDate } ?? boundary)
        }
        let expected = Array(start..<max(start, boundary))
        #expect(plan.generate.map(\.index) == expected, "\(context)")
        #expect(plan.nextRunIndex == start + expected.count, "\(context)")
        #expect(plan.generate == expected.compactMap { schedule.run($0) }, "\(context)")
        #expect(plan.generate.allSatisfy { $0.instant <= now }, "\(context)")
        #expect(zip(plan.generate, plan.generate.dropFirst()).allSatisfy { $0.instant < $1.instant }, "\(context)")
        if let next = schedule.run(plan.nextRunIndex) { #expect(next.instant > now, "\(context)") }
        #expect(plan.skipped == nil, "\(context)")
        #expect(plan.pauseReason == nil, "\(context)")
    }
}
