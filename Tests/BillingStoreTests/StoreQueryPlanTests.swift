import BillingStore
import Foundation
import Testing

@Suite("Store query plans")
struct StoreQueryPlanTests {
    @Test func thePastDueSweepIsOneSearchOfThePartialIndex() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(options: .init(path: folder.appendingPathComponent("billing.sqlite").path), now: 0)
        let plan = try store.sweepQueryPlan()
        #expect(plan == ["SEARCH invoice_state USING INDEX invoice_state_past_due (past_due_at<?)"], "\(plan)")
    }

    /// The scheduler and every `status` ask for the next wake: each minimum is a seek into a partial index, never
    /// a scan through every Due or PastDue invoice.
    @Test func theNextWakeSeeksEachPartialIndexOnce() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(options: .init(path: folder.appendingPathComponent("billing.sqlite").path), now: 0)
        let plan = try store.nextWakeQueryPlan()
        for (table, index) in [("templates", "templates_due"), ("invoice_state", "invoice_state_past_due"),
                               ("invoice_state", "invoice_state_reminders"), ("outbox", "outbox_due")] {
            // A bare search is min() read off the index's first entry; the reminders index adds the range
            // `next_reminder_at>?` (its entries have a reminder to come), still one seek.
            #expect(plan.contains { $0 == "SEARCH \(table) USING INDEX \(index)"
                || $0 == "SEARCH \(table) USING INDEX \(index) (next_reminder_at>?)" }, "\(plan)")
        }
        #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
    }
}
