import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// sd_notify(3) messages to the service manager. Without NOTIFY_SOCKET (not run by systemd) every call is a no-op.
public enum SystemdNotifier {
    /// Sends `state`, e.g. "READY=1\nSTATUS=…". Returns false when systemd did not take it.
    @discardableResult
    public static func notify(_ state: String) -> Bool {
        sd_notify(0, state) > 0
    }

    /// "RELOADING=1" with the CLOCK_MONOTONIC timestamp that systemd ≥ 253 requires for Type=notify-reload (older
    /// versions ignore it), so the unit can move to notify-reload without a code change.
    @discardableResult
    public static func notifyReloading(status: String) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let usec = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        return notify("RELOADING=1\nMONOTONIC_USEC=\(usec)\nSTATUS=\(status)")
    }

    /// The watchdog interval systemd expects pings within (WATCHDOG_USEC), or nil when the watchdog is off or
    /// meant for another process (WATCHDOG_PID).
    public static func watchdogInterval() -> Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(clamping: usec))
    }
}
