import ControlProtocol
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Who may change billing data through the control socket: root, the daemon's own user, and members of the
/// configured group. Reading commands are open to anyone who can connect (the socket's mode already limits that).
struct ControlAccess: Sendable {
    let groupName: String

    func mayMutate(_ peer: UnixSocket.PeerCredentials?) -> Bool {
        guard let peer else { return false }
        if peer.uid == 0 || peer.uid == geteuid() { return true }
        guard let group = getgrnam(groupName) else { return false }
        let gid = group.pointee.gr_gid
        if peer.gid == gid { return true }
        guard let passwd = getpwuid(peer.uid) else { return false }
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(passwd.pointee.pw_name, passwd.pointee.pw_gid, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(passwd.pointee.pw_name, passwd.pointee.pw_gid, &groups, &count)
        }
        return groups.prefix(Int(max(0, count))).contains(gid)
    }
}
