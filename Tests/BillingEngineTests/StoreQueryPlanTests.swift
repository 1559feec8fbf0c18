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
        #expect(plan == ["SEARCH invoices USING INDEX invoices_past_due (past_due_at<?)"], "\(plan)")
    }

    /// The scheduler and every `status` ask for the next wake: each minimum is a seek into a partial index, never
    /// a walk over `invoices_status` through every Due or PastDue invoice.
    @Test func theNextWakeSeeksEachPartialIndexOnce() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(options: .init(path: folder.appendingPathComponent("billing.sqlite").path), now: 0)
        let plan = try store.nextWakeQueryPlan()
        for (table, index) in [("templates", "templates_due"), ("invoices", "invoices_past_due"),
                               ("invoices", "invoices_reminders"), ("outbox", "outbox_due")] {
            #expect(plan.contains("SEARCH \(table) USING INDEX \(index)"), "\(plan)")
        }
        #expect(!plan.contains { $0.contains("invoices_status") }, "\(plan)")
    }
}
