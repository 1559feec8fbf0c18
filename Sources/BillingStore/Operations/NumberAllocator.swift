import BillingDomain

/// Gapless invoice numbers for one generation transaction.
///
/// Each series' last value is read once, advanced in memory as invoices are written, and saved before the
/// commit. The counters live and die with the transaction: a rolled-back template restores its snapshot, a
/// rolled-back transaction discards the allocator, so a number is used exactly when its invoice is stored.
final class NumberAllocator {
    private var last: [String: Int64] = [:]
    private var changed: Set<String> = []

    /// The number the next invoice of `series` gets if it is stored.
    func peek(_ series: String, db: SQLiteConnection) throws -> Int64 {
        if let value = last[series] { return value + 1 }
        // The counter never trails the invoices already numbered in the series (a restored backup of one table,
        // rows written by another program): a number is never given twice.
        let stored = try db.cached("""
            SELECT max(coalesce((SELECT last_value FROM number_series WHERE name = ?1), 0),
                       coalesce((SELECT max(sequence) FROM invoices WHERE series = ?1), 0))
            """).bind(.text(series)).scalarInt() ?? 0
        last[series] = stored
        return stored + 1
    }

    /// Records that `sequence` of `series` is now used.
    func take(_ series: String, _ sequence: Int64) {
        last[series] = sequence
        changed.insert(series)
    }

    func snapshot() -> ([String: Int64], Set<String>) { (last, changed) }

    func restore(_ snapshot: ([String: Int64], Set<String>)) {
        (last, changed) = snapshot
    }

    func save(db: SQLiteConnection) throws {
        let upsert = try db.cached("""
            INSERT INTO number_series (name, last_value) VALUES (?1, ?2)
            ON CONFLICT (name) DO UPDATE SET last_value = ?2
            """)
        for series in changed.sorted() {
            try upsert.bind(.text(series), .integer(last[series] ?? 0)).run()
        }
        changed.removeAll()
    }
}
