import BillingDomain
import CSQLite
import Foundation

/// One connection to a SQLite database file through the system libsqlite3.
///
/// A connection is used by one thread at a time; `Store` owns its connections behind locks. Statements are
/// prepared once and cached by their SQL text, so hot paths (generation, sweep, outbox claims) pay only for
/// bind/step/reset.
final class SQLiteConnection {
    let handle: OpaquePointer
    let path: String
    let busyTimeoutMilliseconds: Int32
    private var cache: [String: Statement] = [:]
    private var multiRowCache: [MultiRowInsert: [Int: Statement]] = [:]

    /// Opens (or creates) the database and sets the pragmas every billingd connection relies on:
    /// WAL so readers never block the writer, foreign keys enforced, and a busy timeout so a short lock held by
    /// another program (an operator's `sqlite3` shell, a backup) waits instead of failing.
    ///
    /// `cacheKiB` bounds the page cache (SQLite's default is 2 MiB). It only grows as pages are used and
    /// `releaseMemory()` gives it back after a job.
    init(path: String, busyTimeoutMilliseconds: Int32, readOnly: Bool = false, cacheKiB: Int = 2_000) throws {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw BillingError(.storageError, "Cannot open database \(path): \(message).")
        }
        // SQLite falls back to a read-only open when the file cannot be opened for writing (an immutable file, a
        // read-only mount); a writer that cannot write would fail every job, so it refuses to start instead.
        if !readOnly && sqlite3_db_readonly(db, "main") == 1 {
            sqlite3_close_v2(db)
            throw BillingError(.storageError, "The database \(path) is read-only (file permissions, an immutable "
                               + "attribute or a read-only mount); billingd needs to write it.", cause: .databaseReadOnly)
        }
        handle = db
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        sqlite3_extended_result_codes(db, 1)
        if !readOnly {
            try execute("PRAGMA journal_mode = WAL")
        }
        try execute("PRAGMA foreign_keys = ON")
        // FULL keeps a committed invoice on disk across power loss, which billing needs more than speed.
        try execute("PRAGMA synchronous = FULL")
        try execute("PRAGMA cache_size = -\(cacheKiB)")
    }

    /// Runs `body` without waiting on locks: a busy database fails at once instead of after the busy timeout.
    func withoutWaiting<T>(_ body: () throws -> T) rethrows -> T {
        sqlite3_busy_timeout(handle, 0)
        defer { sqlite3_busy_timeout(handle, busyTimeoutMilliseconds) }
        return try body()
    }

    /// Frees the page cache's unused pages (after a large job, so an idle daemon stays small).
    func releaseMemory() {
        sqlite3_db_release_memory(handle)
    }

    deinit {
        for statement in cache.values { statement.finalize() }
        for statements in multiRowCache.values { for statement in statements.values { statement.finalize() } }
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements without parameters (schema, pragmas).
    func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errorMessage)
            throw error(rc, message, sql: sql)
        }
    }

    /// A prepared statement from the cache, reset and with its bindings cleared.
    func cached(_ sql: String) throws -> Statement {
        if let statement = cache[sql] {
            statement.reset()
            return statement
        }
        let statement = try prepare(sql)
        cache[sql] = statement
        return statement
    }

    /// A cached `INSERT … VALUES (…), (…), …` for `rows` rows: one statement execution instead of one per row,
    /// which is most of the per-row cost on generation's hot path.
    func cached(_ insert: MultiRowInsert, rows: Int) throws -> Statement {
        if let statement = multiRowCache[insert]?[rows] {
            statement.reset()
            return statement
        }
        let values = Array(repeating: insert.row, count: rows).joined(separator: ", ")
        let statement = try prepare(insert.head + " VALUES " + values)
        multiRowCache[insert, default: [:]][rows] = statement
        return statement
    }

    func prepare(_ sql: String) throws -> Statement {
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else {
            throw error(rc, lastErrorMessage, sql: sql)
        }
        return Statement(raw, connection: self)
    }

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    var changes: Int { Int(sqlite3_changes(handle)) }
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` in a write transaction. `BEGIN IMMEDIATE` takes the write lock up front, so a busy database is
    /// reported at the start instead of half-way through an invoice.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// A savepoint inside a running transaction: a failure in one template's invoice rolls back that template only.
    /// Its three statements are prepared once and cached, since generation takes one per template.
    func savepoint<T>(_ name: SavepointName, _ body: () throws -> T) throws -> T {
        try cached(name.begin).run()
        do {
            let result = try body()
            try cached(name.release).run()
            return result
        } catch {
            try? cached(name.rollback).run()
            try? cached(name.release).run()
            throw error
        }
    }

    /// A failed call's error, with its cause where an operator can act on it (see `BillingError.cause`).
    func error(_ rc: Int32, _ message: String, sql: String? = nil) -> BillingError {
        var error = SQLiteConnection.error(rc, message, sql: sql)
        // A write refused by the file system (an immutable file, a read-only mount) reaches SQLite as an I/O
        // error on the WAL or the database; the operator's fix is to make them writable, so say that.
        if error.cause == .databaseIOError, [path, path + "-wal"].contains(where: Self.isUnwritable) {
            error = BillingError(.storageError, "Storage failed (database is read-only): \(message); "
                                 + "\(path) or its -wal file cannot be written." + Self.statement(sql),
                                 cause: .databaseReadOnly)
        }
        return error
    }

    private static func isUnwritable(_ file: String) -> Bool {
        access(file, F_OK) == 0 && access(file, W_OK) != 0
    }

    static func error(_ rc: Int32, _ message: String, sql: String? = nil) -> BillingError {
        let primary = rc & 0xff
        let kind: String
        let cause: BillingError.Code?
        switch primary {
        case SQLITE_BUSY, SQLITE_LOCKED: (kind, cause) = ("database is locked by another writer", .databaseLocked)
        case SQLITE_FULL: (kind, cause) = ("disk full", .databaseFull)
        case SQLITE_READONLY: (kind, cause) = ("database is read-only", .databaseReadOnly)
        case SQLITE_CORRUPT, SQLITE_NOTADB: (kind, cause) = ("database file is corrupt", .databaseCorrupt)
        case SQLITE_IOERR: (kind, cause) = ("I/O error", .databaseIOError)
        case SQLITE_CONSTRAINT: (kind, cause) = ("constraint violated", nil)
        default: (kind, cause) = ("SQLite error \(rc)", nil)
        }
        // A row's data broke a rule (a constraint, a type): that row's problem, not the database's.
        let rowLevel = primary == SQLITE_CONSTRAINT || primary == SQLITE_MISMATCH || primary == SQLITE_TOOBIG
        return BillingError(rowLevel ? .constraintViolated : .storageError,
                            "Storage failed (\(kind)): \(message)." + statement(sql), cause: cause)
    }

    /// The failing statement's SQL on one line, so the error and the journal say which statement failed (values
    /// are bound, never in the text, so no customer data rides along); a multi-row insert is cut short.
    static func statement(_ sql: String?) -> String {
        guard let sql else { return "" }
        let text = sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return " SQL: " + (text.count > 300 ? text.prefix(300) + "…" : text)
    }
}

/// A savepoint's statements, built once.
struct SavepointName: Sendable {
    let begin: String
    let release: String
    let rollback: String

    init(_ name: String) {
        begin = "SAVEPOINT \(name)"
        release = "RELEASE \(name)"
        rollback = "ROLLBACK TO \(name)"
    }

    static let template = SavepointName("template")
}


/// The parts of a multi-row INSERT: `head` up to the column list, `row` one parenthesised placeholder tuple.
struct MultiRowInsert: Hashable, Sendable {
    let head: String
    let row: String
    let columns: Int32

    init(_ head: String, columns: Int32) {
        self.init(head, row: "(" + Array(repeating: "?", count: Int(columns)).joined(separator: ", ") + ")",
                  columns: columns)
    }

    /// `row` may hold literals beside its `columns` placeholders, e.g. `(?, ?, 'pending')`.
    init(_ head: String, row: String, columns: Int32) {
        self.head = head
        self.row = row
        self.columns = columns
    }
}
