@testable import BillingStore
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

    /// The scheduler, the drain and every `status` ask for the next wakes: each minimum is a seek into a partial
    /// index, never a scan through every Due or PastDue invoice or every waiting message, and each part reads only
    /// its own tables.
    @Test func theNextWakesSeekEachPartialIndexOnce() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(options: .init(path: folder.appendingPathComponent("billing.sqlite").path), now: 0)
        let (billing, outbox) = try store.nextWakeQueryPlans()
        for (table, index) in [("templates", "templates_due"), ("invoice_state", "invoice_state_past_due"),
                               ("invoice_state", "invoice_state_reminders")] {
            // A bare search is min() read off the index's first entry; the reminders index adds the range
            // `next_reminder_at>?` (its entries have a reminder to come), still one seek.
            #expect(billing.contains { $0 == "SEARCH \(table) USING INDEX \(index)"
                || $0 == "SEARCH \(table) USING INDEX \(index) (next_reminder_at>?)" }, "\(billing)")
        }
        #expect(!billing.contains { $0.contains("outbox") }, "\(billing)")
        #expect(outbox.contains("SEARCH outbox USING INDEX outbox_due"), "\(outbox)")
        #expect(outbox.contains("SEARCH outbox USING INDEX outbox_leases"), "\(outbox)")
        #expect(!(billing + outbox).contains { $0.hasPrefix("SCAN") }, "\(billing + outbox)")
    }

    /// A plan reads "SEARCH outbox USING INDEX …" for a seek and for a walk along the whole index alike (the outbox
    /// minimum over `outbox_due` walked every waiting row so), so the steps are counted: with thousands of
    /// messages pending and claimed, the drain's wake is still a few dozen steps, and the right instant.
    @Test func theOutboxWakeIsOneSeekHoweverManyMessagesWait() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("billing.sqlite").path
        let store = try Store(options: .init(path: path), now: 0)
        let db = try SQLiteConnection(path: path, busyTimeoutMilliseconds: 1_000)
        // Every tenth row claimed, its lease (from 5,010) ending before any pending row's attempt (from 100,001).
        try db.execute("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
            INSERT INTO outbox (channel, kind, recipient, idempotency_key, status, next_attempt_at, lease_until,
                                created_at, updated_at)
            SELECT 'email', 'reminder_1', 'r@example.com', 'k-' || i, CASE i % 10 WHEN 0 THEN 'sending' ELSE 'pending' END,
                   100000 + i, CASE i % 10 WHEN 0 THEN 5000 + i END, 0, 0 FROM n
            """)
        let query = try db.cached(Store.nextOutboxWake)
        #expect(try query.scalarInt() == 5010)
        #expect(query.virtualMachineSteps < 100, "\(query.virtualMachineSteps) steps for 5,000 waiting rows")
        #expect(try store.nextOutboxWakeAt() == 5010)
    }
}
