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
}
