@testable import BillingStore

extension SQLiteConnection {
    /// A database as billingd left it before `migration`: every earlier migration applied and recorded, so opening
    /// a `Store` on it runs `migration` and those after it.
    static func schema(before migration: String, path: String) throws -> SQLiteConnection {
        let db = try SQLiteConnection(path: path, busyTimeoutMilliseconds: 1_000)
        try db.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY NOT NULL, applied_at INTEGER NOT NULL) STRICT")
        for earlier in Migrations.all.prefix(while: { $0.name != migration }) {
            try db.execute(earlier.sql)
            try db.execute("INSERT INTO schema_migrations VALUES ('\(earlier.name)', 0)")
        }
        return db
    }
}
