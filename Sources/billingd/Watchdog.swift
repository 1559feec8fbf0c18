import BillingDelivery
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import SystemdInterop

/// Sends WATCHDOG=1 every half of WATCHDOG_USEC, but each time only after `probe` proved the database answers.
///
/// The probe goes through the writer connection, so a write stuck on a lock or a hung disk holds it up and the
/// pings stop: systemd then restarts billingd (WatchdogSec=, Restart=on-failure), which is what an operator wants
/// from a daemon that can no longer bill. A probe that fails outright withholds the ping as well.
struct Watchdog: Service {
    let interval: Duration
    let logger: Logger
    /// Set once READY=1 went out: a ping before it would tell systemd nothing.
    let ready: SetOnceFlag
    let pool: NIOThreadPool
    let probe: @Sendable () throws -> Void

    /// Pings until graceful shutdown; it is the last service to stop, so systemd keeps hearing from a daemon that
    /// is still finishing a long transaction.
    func run() async throws {
        // Half the interval, as sd_watchdog_enabled(3) advises, leaves room for one late ping.
        let period = interval / 2
        let clock = ContinuousClock()
        var next = clock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if ready.isSet {
                do {
                    try await pool.runIfActive(probe)
                    SystemdNotifier.notify("WATCHDOG=1")
                } catch {
                    logger.error("watchdog: the database did not answer; WATCHDOG=1 withheld: \(error)")
                }
            }
            // A fixed schedule rather than "sleep after each ping", so pings do not drift later by the probe's time;
            // after a slow probe the schedule restarts from now instead of firing a burst.
            next = max(next.advanced(by: period), clock.now)
            let deadline = next
            try? await cancelWhenGracefulShutdown { try await Task.sleep(until: deadline, clock: clock) }
        }
    }
}
