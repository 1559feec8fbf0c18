import BillingDomain
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The control connections open now, in all and per peer uid, and whether one more is admitted.
final class ControlAdmission: Sendable {
    private struct Counts {
        var active = 0
        var perUID: [uid_t: Int] = [:]
    }

    private let limits: ControlServer.Limits
    private let counts = Mutex(Counts())
    private let ownUID = getuid()

    init(limits: ControlServer.Limits) {
        self.limits = limits
    }

    var active: Int { counts.withLock { $0.active } }

    /// Takes a slot for a connection from `uid`, or says why none is free.
    func admit(_ uid: uid_t?) -> String? {
        counts.withLock { counts in
            if let refusal = refusal(uid, counts) { return refusal }
            counts.active += 1
            if let uid { counts.perUID[uid, default: 0] += 1 }
            return nil
        }
    }

    /// Gives back the slot of a connection that `admit` let in.
    func release(_ uid: uid_t?) {
        counts.withLock { counts in
            counts.active -= 1
            if let uid {
                counts.perUID[uid, default: 1] -= 1
                if counts.perUID[uid] == 0 { counts.perUID[uid] = nil }
            }
        }
    }

    private func refusal(_ uid: uid_t?, _ counts: Counts) -> String? {
        if let uid, uid == 0 || uid == ownUID {
            guard counts.active < limits.maxConnections + ControlServer.Limits.reservedConnections else {
                return "Too many control connections (limit \(limits.maxConnections), all reserved slots taken)"
            }
            return nil
        }
        guard counts.active < limits.maxConnections else {
            return "Too many control connections (limit \(limits.maxConnections))"
        }
        guard (uid.flatMap { counts.perUID[$0] } ?? 0) < limits.maxConnectionsPerUID else {
            return "Too many control connections from uid \(uid.map(String.init) ?? "?") (limit \(limits.maxConnectionsPerUID) per user)"
        }
        return nil
    }
}
