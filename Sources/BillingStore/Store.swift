import BillingDomain
import CSQLite
import Foundation

/// glibc's `malloc_trim`, which Swift's Glibc module does not export: returns free heap pages to the system.
@_silgen_name("malloc_trim")
private func mallocTrim(_ pad: Int) -> Int32

/// The SQLite store: one writer connection and one reader connection to the same WAL database.
///
/// It implements `BillingStorage` in the `Operations/` files, so SQL stays in this module; the engine sees only
/// the protocol. Its other public members (query plans, the integrity check) are for tests and the benchmark.
///
/// `@unchecked Sendable` because of C handles: each connection is a `sqlite3 *`, used by one thread at a time
/// under `writeLock` or `readLock`, which Swift cannot check.
/// Writes are serialised on the writer; reads (status, lists, previews) use the reader and never wait for a
/// write in progress, thanks to WAL.
public final class Store: @unchecked Sendable {
    public struct Options: Sendable {
        public var path: String
        public var busyTimeoutMilliseconds: Int32

        public init(path: String, busyTimeoutMilliseconds: Int32 = 5_000) {
            self.path = path
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        }
    }

    public let path: String
    public let appliedMigrations: [String]
    private let writer: SQLiteConnection
    private let reader: SQLiteConnection
    private let writeLock = NSLock()
    private let readLock = NSLock()
    /// The last status snapshot and the reader's data version it was read at; guarded by `readLock`.
    var statusCache: (dataVersion: Int64, snapshot: StatusSnapshot)?

    /// Opens the database, creating it and its folder if needed, and runs pending migrations.
    public init(options: Options, now: Int64) throws {
        path = options.path
        let folder = (options.path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw BillingError(.storageError, "Cannot create the database folder \(folder): \(error.localizedDescription)")
            }
        }
        // The writer's cache holds the b-tree pages a generation batch or a sweep touches across the invoice
        // tables and their indexes; with SQLite's 2 MiB default they are evicted and re-read within one batch.
        _ = Store.configureLibrary
        writer = try SQLiteConnection(path: options.path, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds,
                                      cacheKiB: Store.writerCacheKiB)
        appliedMigrations = try Migrations.migrate(writer, now: now)
        reader = try SQLiteConnection(path: options.path, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
    }

    static let writerCacheKiB = 65_536

    /// Process-wide SQLite settings, applied once before the first connection opens: no memory statistics (a
    /// global mutex taken on every allocation, for figures billingd never reads).
    private static let configureLibrary: Void = {
        _ = billingd_sqlite3_disable_memstatus()
    }()

    /// Gives back the page caches' unused memory and the allocator's free pages; the engine calls it after each
    /// job, so the memory a million-invoice batch needed is not held while the daemon sleeps.
    public func releaseMemory() {
        writeLock.lock()
        writer.releaseMemory()
        writeLock.unlock()
        releaseReaderMemory()
    }

    /// The reader's part of `releaseMemory`, which never waits for a write in progress.
    func releaseReaderMemory() {
        readLock.lock()
        reader.releaseMemory()
        readLock.unlock()
        _ = mallocTrim(0)
    }

    /// Runs `body` with the writer connection, one caller at a time.
    func write<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        writeLock.lock()
        defer { writeLock.unlock() }
        return try body(writer)
    }

    /// Runs `body` with the reader connection inside one read transaction, so it sees one consistent snapshot.
    func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        readLock.lock()
        defer { readLock.unlock() }
        return try inReadTransaction(body)
    }

    /// `read`, but never waiting: nil when another read holds the reader, or a lock (another program's, a WAL
    /// recovery) would have made it wait for the busy timeout.
    func readWithoutWaiting<T>(_ body: (SQLiteConnection) throws -> T) -> T? {
        guard readLock.try() else { return nil }
        defer { readLock.unlock() }
        return reader.withoutWaiting { try? inReadTransaction(body) }
    }

    private func inReadTransaction<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try reader.execute("BEGIN")
        defer { try? reader.execute("COMMIT") }
        return try body(reader)
    }

    /// Proves the database answers (used by the watchdog loop): a read on the writer connection, which waits
    /// behind a stuck write and so stops the pings when the database is stuck.
    public func ping() throws {
        try write { db in _ = try db.cached("SELECT count(*) FROM schema_migrations").scalarInt() }
    }

    public var location: String { path }

    /// `PRAGMA integrity_check`, for tests and operators.
    public func integrityCheck() throws -> String {
        try read { db in try db.prepare("PRAGMA integrity_check").first { $0.text(0) } ?? "no answer" }
    }
}

extension Store: BillingStorage {}
