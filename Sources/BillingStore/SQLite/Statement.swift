import BillingDomain
import CSQLite

// SQLite copies bound text at bind time with SQLITE_TRANSIENT, so Swift strings need not outlive the call.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement with direct, positional binding (1-based, as in SQLite).
///
/// Values are always bound, never spliced into SQL.
final class Statement {
    let raw: OpaquePointer
    unowned let connection: SQLiteConnection

    init(_ raw: OpaquePointer, connection: SQLiteConnection) {
        self.raw = raw
        self.connection = connection
    }

    func finalize() { sqlite3_finalize(raw) }

    func reset() {
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    // MARK: Binding

    @discardableResult
    func bind(_ values: SQLValue?...) -> Statement {
        for (offset, value) in values.enumerated() { bind(value, at: Int32(offset + 1)) }
        return self
    }

    func bind(_ value: SQLValue?, at index: Int32) {
        switch value {
        case nil, .null?: sqlite3_bind_null(raw, index)
        case .integer(let v)?: sqlite3_bind_int64(raw, index, v)
        case .text(let v)?: bind(v, at: index)
        }
    }

    func bind(_ value: Int64, at index: Int32) { sqlite3_bind_int64(raw, index, value) }
    func bind(_ value: Int, at index: Int32) { sqlite3_bind_int64(raw, index, Int64(value)) }
    /// withUTF8 hands a native string's own bytes to SQLite (which copies them): no C-string conversion array.
    func bind(_ value: String, at index: Int32) {
        var value = value
        value.withUTF8 { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else {
                // A nil pointer would bind NULL; an empty string stays an empty string.
                sqlite3_bind_text(raw, index, "", 0, transient)
                return
            }
            base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                _ = sqlite3_bind_text(raw, index, $0, Int32(bytes.count), transient)
            }
        }
    }
    func bind(_ value: String?, at index: Int32) {
        if let value { bind(value, at: index) } else { sqlite3_bind_null(raw, index) }
    }
    func bind(_ value: Int64?, at index: Int32) {
        if let value { sqlite3_bind_int64(raw, index, value) } else { sqlite3_bind_null(raw, index) }
    }

    // MARK: Stepping

    /// Advances to the next row; false when done.
    func step() throws -> Bool {
        let rc = sqlite3_step(raw)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = connection.error(rc, connection.lastErrorMessage, sql: sqlite3_sql(raw).map { String(cString: $0) })
            sqlite3_reset(raw)
            throw error
        }
    }

    /// Runs a statement that returns no rows.
    func run() throws {
        while try step() {}
        sqlite3_reset(raw)
    }

    /// All rows, decoded by `row`.
    func all<T>(_ row: (Statement) throws -> T) throws -> [T] {
        var result: [T] = []
        while try step() { result.append(try row(self)) }
        sqlite3_reset(raw)
        return result
    }

    func first<T>(_ row: (Statement) throws -> T) throws -> T? {
        defer { sqlite3_reset(raw) }
        return try step() ? try row(self) : nil
    }

    func scalarInt() throws -> Int64? {
        try first { $0.isNull(0) ? nil : $0.int64(0) } ?? nil
    }

    /// The virtual-machine steps the statement took since it was prepared: what a query costs, for tests that must
    /// tell one index seek from a walk along the index (their plans read alike).
    var virtualMachineSteps: Int { Int(sqlite3_stmt_status(raw, SQLITE_STMTSTATUS_VM_STEP, 0)) }

    // MARK: Columns (0-based, as in SQLite)

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(raw, column) }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(raw, column)) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(raw, column) == SQLITE_NULL }
    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }
    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }
    func bool(_ column: Int32) -> Bool { int64(column) != 0 }
    func optionalBool(_ column: Int32) -> Bool? { isNull(column) ? nil : bool(column) }

    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(raw, column) else { return "" }
        return String(cString: pointer)
    }

    func optionalText(_ column: Int32) -> String? {
        isNull(column) ? nil : text(column)
    }
}

/// A value bound to a statement parameter.
enum SQLValue {
    case null
    case integer(Int64)
    case text(String)
}

extension SQLValue {
    static func int(_ v: Int?) -> SQLValue { v.map { .integer(Int64($0)) } ?? .null }
    static func int64(_ v: Int64?) -> SQLValue { v.map { .integer($0) } ?? .null }
    static func string(_ v: String?) -> SQLValue { v.map { .text($0) } ?? .null }
    static func bool(_ v: Bool?) -> SQLValue { v.map { .integer($0 ? 1 : 0) } ?? .null }
}
