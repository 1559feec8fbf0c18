import BillingDomain
import BillingEngine
import BillingStore
import CSQLite
import Foundation

/// One measured figure for the table and the JSON report.
struct Measurement {
    var scenario: String
    var size: Int
    var seconds: Double
    var rate: Double
    var unit: String
    var extra: [String: String] = [:]
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
}

enum Scenarios {
    static let runDate = LocalDateTime(year: 2027, month: 1, day: 15, hour: 9)!

    /// Generation of N templates' due run, then the past-due sweep over the N invoices it made (half overdue).
    static func generationAndSweep(size: Int) throws -> [Measurement] {
        let database = try BenchDatabase(name: "gen-\(size)")
        defer { database.remove() }
        let importer = try database.engine(at: "2027-01-01T00:00:00Z")
        let (_, importSeconds) = try measure { try Workload.importTemplates(size, into: importer, runDate: runDate) }

        let generator = try database.engine(at: "2027-01-15T12:00:00+01:00")
        let cpuBefore = processCPUSeconds()
        let (report, seconds) = try measure { try generator.runRecurring() }
        let cpuSeconds = processCPUSeconds() - cpuBefore
        guard report.generated.count == size else {
            throw BenchFailure(description: "generation made \(report.generated.count) invoices, expected \(size)")
        }
        let rows = try rowCounts(database.path)
        let expectedTotal = Workload.expectedTotal * Int64(size)
        guard rows.totalIncVat == expectedTotal else {
            throw BenchFailure(description: "generated totals \(rows.totalIncVat) != expected \(expectedTotal)")
        }
        let baseline = try sameRowsBaseline(source: database.path)
        var results = [
            Measurement(scenario: "import", size: size, seconds: importSeconds, rate: Double(size) / importSeconds,
                        unit: "templates/s"),
            Measurement(scenario: "generation", size: size, seconds: seconds, rate: Double(size) / seconds,
                        unit: "invoices/s",
                        extra: ["rows": String(rows.inserted), "rowsPerSecond": String(Int(Double(rows.inserted) / seconds)),
                                "peakRSSMiB": String(format: "%.1f", peakRSSMiB()),
                                "cpuSeconds": String(format: "%.2f", cpuSeconds),
                                "vsSameRowsBaseline": String(format: "%.2f", Double(rows.inserted) / seconds / baseline.rate)]),
            baseline,
        ]

        // 30 days on: the invoices due 10 days after issue are overdue, those due after 60 days are not.
        let sweeper = try database.engine(at: "2027-02-14T12:00:00+01:00")
        let sweepCPUBefore = processCPUSeconds()
        let (swept, sweepSeconds) = try measure { try sweeper.sweep() }
        let sweepCPUSeconds = processCPUSeconds() - sweepCPUBefore
        guard swept.markedPastDue == size / 2 + size % 2 else {
            throw BenchFailure(description: "sweep marked \(swept.markedPastDue), expected \(size / 2)")
        }
        results.append(Measurement(
            scenario: "sweep", size: size, seconds: sweepSeconds, rate: Double(size) / sweepSeconds, unit: "invoices/s",
            extra: ["markedPastDue": String(swept.markedPastDue), "cpuSeconds": String(format: "%.2f", sweepCPUSeconds),
                    "queryPlan": try ((sweeper.store as? Store)?.sweepQueryPlan() ?? []).joined(separator: "; ")]))
        return results
    }

    /// Catch-up: `templates` templates whose 12 monthly runs all fell due while the daemon was down.
    static func catchUp(templates: Int) throws -> Measurement {
        let database = try BenchDatabase(name: "catchup")
        defer { database.remove() }
        let importer = try database.engine(at: "2025-12-01T00:00:00Z")
        try Workload.importTemplates(templates, into: importer, runDate: LocalDateTime(year: 2026, month: 1, day: 15, hour: 9)!)
        let engine = try database.engine(at: "2026-12-20T00:00:00Z")
        let (report, seconds) = try measure { try engine.runRecurring() }
        guard report.generated.count == templates * 12 else {
            throw BenchFailure(description: "catch-up made \(report.generated.count) invoices, expected \(templates * 12)")
        }
        return Measurement(scenario: "catch-up", size: templates * 12, seconds: seconds,
                           rate: Double(report.generated.count) / seconds, unit: "invoices/s",
                           extra: ["templates": String(templates), "missedRunsEach": "12"])
    }

    struct RowCounts {
        var inserted: Int
        var totalIncVat: Int64
    }

    static func rowCounts(_ path: String) throws -> RowCounts {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else {
            throw BenchFailure(description: "cannot open \(path)")
        }
        defer { sqlite3_close(db) }
        func scalar(_ sql: String) -> Int64 {
            var statement: OpaquePointer?
            sqlite3_prepare_v2(db, sql, -1, &statement, nil)
            defer { sqlite3_finalize(statement) }
            return sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : -1
        }
        let inserted = ["invoices", "invoice_state", "invoice_lines", "invoice_vat", "invoice_history", "outbox"]
            .map { scalar("SELECT count(*) FROM \($0)") }.reduce(0, +)
        return RowCounts(inserted: Int(inserted), totalIncVat: scalar("SELECT sum(total_inc_vat) FROM invoices"))
    }

    /// The baseline: the same rows generation wrote, inserted again into a fresh database with billingd's
    /// schema (same tables, same indexes) and pragmas, through the C API with one prepared statement per table,
    /// 10,000 rows per transaction. What generation adds on top of this is billingd's own cost.
    /// Foreign keys are off here (the copy has no templates or customers), which favours the baseline.
    static func sameRowsBaseline(source: String) throws -> Measurement {
        let target = try BenchDatabase(name: "baseline")
        defer { target.remove() }
        _ = try target.engine(at: "2027-01-01T00:00:00Z")  // creates the schema through the migrations
        var src: OpaquePointer?, dst: OpaquePointer?
        guard sqlite3_open_v2(source, &src, SQLITE_OPEN_READONLY, nil) == SQLITE_OK,
              sqlite3_open(target.path, &dst) == SQLITE_OK else { throw BenchFailure(description: "open failed") }
        defer { sqlite3_close(src); sqlite3_close(dst) }
        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = OFF"] {
            sqlite3_exec(dst, pragma, nil, nil, nil)
        }
        var rows = 0
        let (_, seconds) = try measure {
            for table in ["invoices", "invoice_state", "invoice_lines", "invoice_vat", "invoice_history", "outbox"] {
                var read: OpaquePointer?, insert: OpaquePointer?
                sqlite3_prepare_v2(src, "SELECT * FROM \(table)", -1, &read, nil)
                defer { sqlite3_finalize(read) }
                let columns = sqlite3_column_count(read)
                let placeholders = Array(repeating: "?", count: Int(columns)).joined(separator: ", ")
                guard sqlite3_prepare_v3(dst, "INSERT INTO \(table) VALUES (\(placeholders))", -1,
                                         UInt32(SQLITE_PREPARE_PERSISTENT), &insert, nil) == SQLITE_OK else {
                    throw BenchFailure(description: "baseline insert into \(table) did not prepare")
                }
                defer { sqlite3_finalize(insert) }
                var inBatch = 0
                sqlite3_exec(dst, "BEGIN", nil, nil, nil)
                while sqlite3_step(read) == SQLITE_ROW {
                    for column in 0..<columns {
                        sqlite3_bind_value(insert, column + 1, sqlite3_column_value(read, column))
                    }
                    guard sqlite3_step(insert) == SQLITE_DONE else {
                        throw BenchFailure(description: "baseline insert into \(table) failed")
                    }
                    sqlite3_reset(insert)
                    rows += 1
                    inBatch += 1
                    if inBatch == 10_000 {
                        sqlite3_exec(dst, "COMMIT", nil, nil, nil)
                        sqlite3_exec(dst, "BEGIN", nil, nil, nil)
                        inBatch = 0
                    }
                }
                sqlite3_exec(dst, "COMMIT", nil, nil, nil)
            }
        }
        return Measurement(scenario: "same-rows-baseline", size: rows, seconds: seconds, rate: Double(rows) / seconds,
                           unit: "rows/s")
    }
}
