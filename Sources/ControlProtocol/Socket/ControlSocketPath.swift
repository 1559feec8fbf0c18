import Foundation

/// Where daemon and CLI meet when neither is told a socket path.
public enum ControlSocketPath {
    /// `$BILLINGD_SOCKET`, else systemd's `$RUNTIME_DIRECTORY/control.sock`, else `/run/billingd/control.sock` for
    /// root, else a per-user runtime folder: the same rule in `billingd` and `billingctl`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["BILLINGD_SOCKET"], !path.isEmpty { return path }
        if let dir = environment["RUNTIME_DIRECTORY"], !dir.isEmpty {
            return String(dir.split(separator: ":").first ?? Substring(dir)) + "/control.sock"
        }
        if getuid() == 0 { return "/run/billingd/control.sock" }
        if let dir = environment["XDG_RUNTIME_DIR"], !dir.isEmpty { return dir + "/billingd/control.sock" }
        return "/tmp/billingd-\(getuid())/control.sock"
    }
}
