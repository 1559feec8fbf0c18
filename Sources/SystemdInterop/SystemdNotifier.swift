import CSystemd

/// sd_notify(3) messages to the service manager. Without NOTIFY_SOCKET (not run by systemd) every call is a no-op.
public enum SystemdNotifier {
    /// Sends `state`, e.g. "READY=1\nSTATUS=…". Returns false when systemd did not take it.
    @discardableResult
    public static func notify(_ state: String) -> Bool {
        sd_notify(0, state) > 0
    }

    /// The watchdog interval systemd expects pings within (WATCHDOG_USEC), or nil when the watchdog is off.
    public static func watchdogInterval() -> Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(clamping: usec))
    }
}

/// Sockets passed by systemd socket activation (sd_listen_fds(3)).
public enum SocketActivation {
    /// The passed listening file descriptors (starting at 3); empty when none were passed.
    public static func listeningSockets() -> [Int32] {
        let count = sd_listen_fds(1)
        guard count > 0 else { return [] }
        return (0..<count).map { SD_LISTEN_FDS_START + $0 }
    }
}
