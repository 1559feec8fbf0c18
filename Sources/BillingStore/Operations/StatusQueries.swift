import BillingDomain

/// Counts for `billingctl status` and the systemd STATUS= line.
public struct StoreCounts: Sendable, Equatable {
    public var templates: [String: Int]
    public var invoices: [String: Int]
    public var outbox: [String: Int]
    /// The earliest instant (Unix seconds) at which a template run is due.
    public var nextTemplateRunAt: Int64?
}

extension Store {
    public func counts() throws -> StoreCounts {
        try read { db in
            func grouped(_ sql: String) throws -> [String: Int] {
                var result: [String: Int] = [:]
                for (key, count) in try db.cached(sql).all({ ($0.text(0), $0.int(1)) }) { result[key] = count }
                return result
            }
            return StoreCounts(
                templates: try grouped("SELECT status, count(*) FROM templates GROUP BY status"),
                invoices: try grouped("SELECT status, count(*) FROM invoices GROUP BY status"),
                outbox: try grouped("SELECT status, count(*) FROM outbox GROUP BY status"),
                nextTemplateRunAt: try db.cached(
                    "SELECT min(next_run_at) FROM templates WHERE status = 'active'").scalarInt())
        }
    }
}
