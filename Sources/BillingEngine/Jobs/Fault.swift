import BillingDomain
import Foundation
import Synchronization

/// Something that stops billingd from doing its work until the world outside changes: the database locked by
/// another program, the disk full, the database file read-only, an e-mail server that does not answer.
///
/// A fault is not an error of one request: it is a state that lasts from the failure that raised it to the first
/// success of the same work after it. The daemon reports it (journal, STATUS=, `billingctl status`), keeps
/// retrying, and clears it by itself; nothing is lost meanwhile, because a failed transaction changed nothing.
public struct Fault: Sendable, Equatable {
    /// What is failing: `cycle` (the scheduler's recurring run and past-due sweep), `drain` (the outbox drain's
    /// claims and records; both of them the database) or an outbox channel (`email`, `sms`, `post`).
    public var scope: String
    /// The cause where the failure names one (`DATABASE_FULL`), else the error's own code (`CONNECTION_FAILED`).
    public var code: String
    public var message: String
    public var since: Date
    /// When the failing job is tried again (the cycle and the drain; a channel's messages have their own retries).
    public var retryAt: Date?

    public static let cycleScope = "cycle"
    public static let drainScope = "drain"
}

/// The faults in force, one per scope. Raised and cleared by the jobs, read by the status reports.
final class FaultBoard: Sendable {
    private let faults = Mutex<[String: Fault]>([:])

    /// Records a failure of `scope`; returns the fault when it is new or its code changed (worth a journal
    /// entry), nil when the same fault goes on.
    func raise(_ scope: String, code: String, message: String, at now: Date, retryAt: Date? = nil) -> Fault? {
        faults.withLock { faults in
            if var existing = faults[scope], existing.code == code {
                existing.message = message
                existing.retryAt = retryAt
                faults[scope] = existing
                return nil
            }
            let fault = Fault(scope: scope, code: code, message: message, since: now, retryAt: retryAt)
            faults[scope] = fault
            return fault
        }
    }

    /// Ends the fault of `scope`, if any; returns it.
    func clear(_ scope: String) -> Fault? {
        faults.withLock { $0.removeValue(forKey: scope) }
    }

    /// The faults in force: the cycle's first, then the drain's, then the channels' by scope.
    var current: [Fault] {
        func rank(_ fault: Fault) -> (Int, String) {
            ([Fault.cycleScope, Fault.drainScope].firstIndex(of: fault.scope) ?? 2, fault.scope)
        }
        return faults.withLock { Array($0.values) }.sorted { rank($0) < rank($1) }
    }
}

/// How long the scheduler waits before retrying a failed cycle, and the drain a failed drain: 1, 2, 4 … 60 s.
/// Short at first, because most locks are brief; capped, so a fault that ends is noticed within a minute without
/// hammering a full disk.
enum FaultBackoff {
    static let maxSeconds = 60

    static func seconds(afterFailures failures: Int) -> Int {
        guard failures > 0 else { return 0 }
        return failures > 6 ? maxSeconds : min(maxSeconds, 1 << (failures - 1))
    }
}
