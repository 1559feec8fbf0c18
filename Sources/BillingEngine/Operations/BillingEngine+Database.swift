import BillingDomain
import BillingStore

/// The store itself, as `status` and `backup` see it.
extension BillingEngine {
    /// Where the data lives (a file path, or a URL without credentials).
    public var databaseLocation: String { store.location }

    /// The queue sizes and the next wake, from one snapshot.
    public func statusSnapshot() throws -> StatusSnapshot {
        try store.statusSnapshot()
    }

    /// The status snapshot when it is at hand without waiting (see `BillingStorage.statusSnapshotIfCurrent`).
    public func statusSnapshotIfCurrent() -> StatusSnapshot? {
        store.statusSnapshotIfCurrent()
    }

    /// An online, consistent copy of the data in a new file; returns its size in bytes.
    public func backup(to path: String) throws -> Int64 {
        let bytes = try store.backup(to: path)
        logger.notice("database backed up", metadata: ["path": "\(path)", "bytes": "\(bytes)"])
        return bytes
    }
}
