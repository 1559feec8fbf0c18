import BillingDomain
import BillingStore
import Foundation
import Logging

extension BillingEngine {
    /// The faults in force, the cycle's first.
    public var faults: [Fault] { faultBoard.current }

    /// Records that `scope`'s work failed and is retried at `retryAt`. The first failure (or a change of cause)
    /// raises the fault with its own MESSAGE_ID; later ones only say that the retry failed too.
    func recordFailure(_ error: Error, scope: String = Fault.cycleScope, retryAt: Date?) {
        let (code, message) = Self.faultCode(error)
        var metadata: Logger.Metadata = ["error_code": "\(code)", "fault_scope": "\(scope)"]
        if let retryAt { metadata["retry_at"] = "\(ISO8601.formatUTC(retryAt))" }
        if faultBoard.raise(scope, code: code, message: message, at: clock.now(), retryAt: retryAt) != nil {
            metadata["message_id"] = "\(JournalMessageID.faultRaised)"
            logger.error("fault \(code) in \(scope): \(message)", metadata: metadata)
        } else if scope == Fault.cycleScope || scope == Fault.drainScope {
            // A channel's messages each log their own failure already.
            logger.warning("\(scope) still failing (\(code)): \(message)", metadata: metadata)
        }
    }

    /// Records the `failures`th failure in a row of a job (`cycle`, `drain`) and returns when to try it again:
    /// 1, 2, 4 … 60 s later (`FaultBackoff`).
    func recordJobFailure(_ error: Error, scope: String, failures: Int) -> Date {
        let retryAt = clock.now().addingTimeInterval(TimeInterval(FaultBackoff.seconds(afterFailures: failures)))
        recordFailure(error, scope: scope, retryAt: retryAt)
        return retryAt
    }

    /// Records that `scope`'s work succeeded: a fault in force ends, with its own MESSAGE_ID. True when one did.
    @discardableResult
    func recordSuccess(scope: String = Fault.cycleScope) -> Bool {
        guard let fault = faultBoard.clear(scope) else { return false }
        let lasted = Int(clock.now().timeIntervalSince(fault.since).rounded())
        logger.notice("fault \(fault.code) in \(scope) cleared after \(lasted) s", metadata: [
            "error_code": "\(fault.code)", "fault_scope": "\(scope)", "fault_seconds": "\(lasted)",
            "message_id": "\(JournalMessageID.faultCleared)",
        ])
        return true
    }

    /// The fault's code: the cause a storage error names (`DATABASE_FULL`), else the error's own code.
    static func faultCode(_ error: Error) -> (String, String) {
        switch error {
        case let error as BillingError: ((error.cause ?? error.code).rawValue, error.message)
        case let failure as DeliveryFailure: (failure.code, failure.message)
        default: (BillingError.Code.internalError.rawValue, "\(error)")
        }
    }

    /// The STATUS= line: the faults in force first, so `systemctl status billingd` shows them, then the summary.
    public func statusLine(lastCycle report: RecurringRunReport? = nil) -> String {
        let faults = self.faults.map { fault in
            "FAULT \(fault.code)\(fault.scope == Fault.cycleScope ? "" : " (\(fault.scope))"): \(fault.message)"
        }
        let summary = (try? statusSummary(lastCycle: report))
            ?? nextWake(nil).map { "next wake \(ISO8601.formatUTC($0))" }
            ?? "database not answering"
        return (faults + [summary]).joined(separator: "; ")
    }

    /// When the daemon works next: for the scheduler and for the drain, the retry while its fault lasts, else the
    /// instant its work falls due in `snapshot`; the earlier of the two.
    func nextWake(_ snapshot: StatusSnapshot?) -> Date? {
        let faults = self.faults
        func wake(_ scope: String, _ due: Int64?) -> Date? {
            faults.first { $0.scope == scope }?.retryAt ?? due.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        }
        return [wake(Fault.cycleScope, snapshot?.nextBillingWakeAt), wake(Fault.drainScope, snapshot?.nextOutboxWakeAt)]
            .compactMap { $0 }.min()
    }
}
