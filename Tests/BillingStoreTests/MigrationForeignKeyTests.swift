@testable import BillingStore
import BillingDomain
import Foundation
import Testing

@Suite("Migrations check foreign keys; storage errors name their SQL")
struct MigrationForeignKeyTests {
    private func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("fk-\(UUID().uuidString).sqlite").path
    }

    private func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    @Test func aMigrationThatLeavesAForeignKeyViolationFailsNamingTheTable() throws {
        let path = temporaryDatabase()
        defer { remove(path) }
        do {
            // The schema before 003, and an invoice whose customer another program deleted with foreign keys off.
            let db = try SQLiteConnection.schema(before: "003_invoice_state", path: path)
            try db.execute("""
                PRAGMA foreign_keys = OFF;
                INSERT INTO invoices (id, number, series, sequence, customer_id, status, issue_date, due_date, past_due_at,
                    time_zone, currency, currency_rate, total_exc_vat, total_vat, total_inc_vat, total_cost, paid, balance,
                    payment_reference, generated_at, dunning_level, next_reminder_at)
                VALUES (1, 'INV-1', 'INV', 1, 42, 'Due', '2027-01-01', '2027-01-31', 1801000000, 'UTC', 'EUR', '1',
                        100, 25, 125, 0, 0, 125, 'RF18INV1', 0, 0, NULL);
                """)
        }
        let error = #expect(throws: BillingError.self) { try Store(options: .init(path: path), now: 0) }
        #expect(error?.code.rawValue == "FOREIGN_KEY_VIOLATION")
        #expect(error?.message.contains("003_invoice_state") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("invoices") == true)
        #expect(error?.field == "invoices")
        // Rolled back: 003 is not recorded and its table does not exist.
        let db = try SQLiteConnection(path: path, busyTimeoutMilliseconds: 1_000)
        #expect(try db.prepare("SELECT count(*) FROM schema_migrations WHERE name = '003_invoice_state'").scalarInt() == 0)
        #expect(try db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'invoice_state'").scalarInt() == 0)
    }

    @Test func storageErrorsCarryTheFailingStatementsSQL() throws {
        let path = temporaryDatabase()
        defer { remove(path) }
        let db = try SQLiteConnection(path: path, busyTimeoutMilliseconds: 1_000)
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE) STRICT")
        try db.prepare("INSERT INTO t (name) VALUES (?)").bind(.text("a")).run()
        // A failing step of a prepared statement (values bound: the SQL names the statement, not the data).
        let stepped = #expect(throws: BillingError.self) {
            try db.cached("INSERT INTO t (name)\n    VALUES (?)").bind(.text("a")).run()
        }
        #expect(stepped?.code == .constraintViolated)
        #expect(stepped?.message.contains("SQL: INSERT INTO t (name) VALUES (?)") == true, "\(stepped?.message ?? "")")
        // A statement that does not prepare, and one run by execute.
        let prepared = #expect(throws: BillingError.self) { try db.prepare("SELECT nope FROM t") }
        #expect(prepared?.message.contains("SQL: SELECT nope FROM t") == true, "\(prepared?.message ?? "")")
        let executed = #expect(throws: BillingError.self) { try db.execute("DROP TABLE missing") }
        #expect(executed?.message.contains("SQL: DROP TABLE missing") == true, "\(executed?.message ?? "")")
    }
}
