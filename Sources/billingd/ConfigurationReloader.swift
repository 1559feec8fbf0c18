import BillingEngine
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// Reloads the configuration on SIGHUP (the same path as `billingctl reload`). The signal is trapped when the
/// sequence is made, before READY=1, so a SIGHUP right after start-up reloads instead of ending the daemon.
struct ConfigurationReloader: Service {
    let hangups: UnixSignalsSequence
    let engine: BillingEngine
    let pool: NIOThreadPool

    func run() async throws {
        for await _ in hangups.cancelOnGracefulShutdown() {
            // An invalid configuration is logged inside and the old one stays in force.
            _ = try? await pool.runIfActive { [engine] in try engine.reloadConfiguration() }
        }
    }
}
