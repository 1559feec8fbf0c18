@testable import BillingStore
import Foundation
import Testing

/// `004_invoice_snapshot` on a database written before it: invoices keep their stored dates (supply date = issue
/// date) and get the buyer as the customer row has it at the upgrade, the best record there is.
@Suite("Invoice snapshot migration")
struct InvoiceSnapshotMigrationTests {
    @Test func invoicesFromBeforeKeepTheirDatesAndGetTheBuyerOfTheirCustomer() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("migrate-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let db = try SQLiteConnection.schema(before: "004_invoice_snapshot", path: path)
            try db.execute("""
                INSERT INTO customers (id, guid, first_name, last_name, company_name, address_line1, postal_code, city,
                    country, created_at, updated_at)
                VALUES (1, 'c-1', 'Åsa', 'Öberg', NULL, 'Kungsgatan 5', '411 19', 'Göteborg', 'Sverige', 0, 0),
                       (2, 'c-2', NULL, NULL, 'Exempel AB', NULL, NULL, NULL, NULL, 0, 0);
                INSERT INTO invoices (id, number, series, sequence, customer_id, issue_date, due_date, time_zone, currency,
                    currency_rate, total_exc_vat, total_vat, total_inc_vat, total_cost, payment_reference, generated_at)
                VALUES (1, 'INV-1', 'INV', 1, 1, '2027-01-01', '2027-01-31', 'UTC', 'EUR', '1', 100, 25, 125, 0,
                        'RF18INV1', 0),
                       (2, 'INV-2', 'INV', 2, 2, '2027-01-02', '2027-02-01', 'UTC', 'EUR', '1', 100, 25, 125, 0,
                        'RF18INV2', 0);
                INSERT INTO invoice_state (invoice_id, status, past_due_at, balance) VALUES (1, 'Due', 1801000000, 125),
                    (2, 'Due', 1801000000, 125);
                """)
        }
        let store = try Store(options: .init(path: path), now: 0)
        #expect(store.appliedMigrations.first?.hasPrefix("004_") == true, "and the later ones after it")
        let rows = try store.read { db in
            try db.prepare("""
                SELECT issue_date, supply_date, due_date, buyer_name, buyer_address_line1, buyer_postal_code, buyer_city,
                       buyer_country FROM invoices ORDER BY id
                """).all { row in (0..<8).map { row.optionalText($0) ?? "-" } }
        }
        #expect(rows == [
            ["2027-01-01", "2027-01-01", "2027-01-31", "Åsa Öberg", "Kungsgatan 5", "411 19", "Göteborg", "Sverige"],
            ["2027-01-02", "2027-01-02", "2027-02-01", "Exempel AB", "-", "-", "-", "-"],
        ])
        #expect(try store.invoice(number: "INV-1").dueDate == "2027-01-31")
        #expect(try store.integrityCheck() == "ok")
    }
}
