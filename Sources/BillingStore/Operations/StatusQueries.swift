import BillingDomain

/// Counts for `billingctl status` and the systemd STATUS= line.
public struct StoreCounts: Sendable, Equatable {
    public var templates: [String: Int]
    public var invoices: [String: Int]
    public var outbox: [String: Int]
}

/// What `billingctl status` and STATUS= show of the store: the counts and the next wakes, from one snapshot.
public struct StatusSnapshot: Sendable, Equatable {
    public var counts: StoreCounts
    /// When billing work falls due next (the scheduler's wake).
    public var nextBillingWakeAt: Int64?
    /// When an outbox message falls due next (the drain's wake).
    public var nextOutboxWakeAt: Int64?

    /// The earlier of the two: when the daemon has work next.
    public var nextWakeAt: Int64? {
        [nextBillingWakeAt, nextOutboxWakeAt].compactMap { $0 }.min()
    }
}

extension Store {
    /// The counts and the next wake, computed again only when another connection committed since the last call
    /// (`PRAGMA data_version` of the reader): the counts walk every invoice, and monitoring asks for them often
    /// while nothing changes.
    public func statusSnapshot() throws -> StatusSnapshot {
        var counted = false
        let snapshot = try read { db in
            let version = try dataVersion(db)
            if let cached = statusCache, cached.dataVersion == version { return cached.snapshot }
            let snapshot = StatusSnapshot(counts: try counts(db), nextBillingWakeAt: try nextBillingWakeAt(db),
                                          nextOutboxWakeAt: try nextOutboxWakeAt(db))
            statusCache = (version, snapshot)
            counted = true
            return snapshot
        }
        // The counts ran through every invoice's index entries: the pages they cached are not needed again until
        // the next change, and an idle daemon should not hold them.
        if counted { releaseReaderMemory() }
        return snapshot
    }

    public func statusSnapshotIfCurrent() -> StatusSnapshot? {
        // Without waiting: a list or preview holding the reader, or another program's lock, must not hold up the
        // event loop that asks.
        readWithoutWaiting { db -> StatusSnapshot? in
            guard let cached = statusCache, cached.dataVersion == (try dataVersion(db)) else { return nil }
            return cached.snapshot
        } ?? nil
    }

    /// The reader's `PRAGMA data_version`: it changes when another connection commits. The pragma starts the read
    /// transaction, so the version is that of the reads after it in the same transaction.
    private func dataVersion(_ db: SQLiteConnection) throws -> Int64 {
        try db.cached("PRAGMA data_version").scalarInt() ?? -1
    }

    private func counts(_ db: SQLiteConnection) throws -> StoreCounts {
        func grouped(_ sql: String) throws -> [String: Int] {
            var result: [String: Int] = [:]
            for (key, count) in try db.cached(sql).all({ ($0.text(0), $0.int(1)) }) { result[key] = count }
            return result
        }
        return StoreCounts(
            templates: try grouped("SELECT status, count(*) FROM templates GROUP BY status"),
            invoices: try grouped("SELECT status, count(*) FROM invoice_state GROUP BY status"),
            outbox: try grouped("SELECT status, count(*) FROM outbox GROUP BY status"))
    }
}
