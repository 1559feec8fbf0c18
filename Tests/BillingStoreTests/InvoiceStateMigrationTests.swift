@testable import BillingStore
import Foundation
import Testing

/// `003_invoice_state` on a database written before it: the life-cycle state moves to `invoice_state` unchanged.
@Suite("Invoice state migration")
struct InvoiceStateMigrationTests {
    @Test func existingInvoicesKeepTheirStatusDunningPaidAndBalance() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("migrate-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            // The schema as billingd released it before 003, with one Due and one PastDue invoice.
            let db = try SQLiteConnection.schema(before: "003_invoice_state", path: path)
            try db.execute("""
                INSERT INTO customers (id, guid, created_at, updated_at) VALUES (1, 'c-1', 0, 0);
                INSERT INTO invoices (id, number, series, sequence, customer_id, status, issue_date, due_date, past_due_at,
                    time_zone, currency, currency_rate, total_exc_vat, total_vat, total_inc_vat, total_cost, paid, balance,
                    payment_reference, generated_at, dunning_level, next_reminder_at)
                VALUES (1, 'INV-1', 'INV', 1, 1, 'Due', '2027-01-01', '2027-01-31', 1801000000, 'UTC', 'EUR', '1',
                        100, 25, 125, 0, 0, 125, 'RF18INV1', 0, 0, NULL),
                       (2, 'INV-2', 'INV', 2, 1, 'PastDue', '2026-11-01', '2026-12-01', 1796000000, 'UTC', 'EUR', '1',
                        100, 25, 125, 0, 50, 75, 'RF18INV2', 0, 2, 1797000000);
                """)
        }
        let store = try Store(options: .init(path: path), now: 0)
        #expect(store.appliedMigrations.prefix(1) == ["003_invoice_state"])
        let due = try store.invoice(number: "INV-1")
        #expect((due.status, due.paid, due.balance) == ("Due", 0, 125))
        let pastDue = try store.invoice(number: "INV-2")
        #expect((pastDue.status, pastDue.paid, pastDue.balance) == ("PastDue", 50, 75))
        #expect(try store.statusSnapshot().counts.invoices == ["Due": 1, "PastDue": 1])
        // The next wake is INV-2's next reminder, read from the new partial indexes.
        #expect(try store.nextBillingWakeAt() == 1797000000)
        #expect(try store.integrityCheck() == "ok")
    }
}
