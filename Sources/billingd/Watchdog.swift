import Foundation
import Logging
import SystemdInterop

/// Sends WATCHDOG=1 every half of WATCHDOG_USEC, but each time only after `probe` proved the database answers.
///
/// The probe goes through the writer connection, so a write stuck on a lock or a hung disk holds it up and the
/// pings stop: systemd then restarts billingd (WatchdogSec=, Restart=on-failure), which is what an operator wants
/// from a daemon that can no longer bill. A probe that fails outright withholds the ping as well.
final class Watchdog: @unchecked Sendable {
    private let interval: Duration
    private let probe: @Sendable () throws -> Void
    private let logger: Logger
    private let condition = NSCondition()
    private var stopping = false
    private var finished = false

    init(interval: Duration, logger: Logger, probe: @escaping @Sendable () throws -> Void) {
        self.interval = interval
        self.logger = logger
        self.probe = probe
    }

    func start() {
        Thread.detachNewThread { [self] in loop() }
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        defer {
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        // Half the interval, as sd_watchdog_enabled(3) advises, leaves room for one late ping.
        let (seconds, attoseconds) = (interval / 2).components
        let period = Double(seconds) + Double(attoseconds) / 1e18
        var next = Date()
        while true {
            do {
                try probe()
                SystemdNotifier.notify("WATCHDOG=1")
            } catch {
                logger.error("watchdog: the database did not answer; WATCHDOG=1 withheld: \(error)")
            }
            // A fixed schedule rather than "sleep after each ping", so pings do not drift later by the probe's time;
            // after a slow probe the schedule restarts from now instead of firing a burst.
            next = max(next.addingTimeInterval(period), Date())
            condition.lock()
            while !stopping, Date() < next { _ = condition.wait(until: next) }
            let done = stopping
            condition.unlock()
            if done { return }
        }
    }
}
