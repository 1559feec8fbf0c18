import ArgumentParser
import BillingDomain
import BillingEngine
import Foundation
import Logging
import NIOPosix
import SystemdInterop

struct BillingdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billingd",
        abstract: "Recurring-billing daemon: generates invoices from templates, sweeps past-due invoices, sends notifications.",
        discussion: """
            Without --config billingd runs on its embedded default: a SQLite database under $STATE_DIRECTORY \
            (or ~/.local/state/billingd), the control socket under $RUNTIME_DIRECTORY (or /run/billingd for root), \
            and e-mail and SMS written to spool folders. It needs no server to do its main job.

            Signals: SIGTERM/SIGINT finish the work in flight and exit 0; SIGHUP reloads the configuration \
            (an invalid new configuration is refused and the old one kept).
            """)

    @Option(help: "Configuration file (see config/billingd.conf.example).")
    var config: String?

    @Option(help: "Database file; overrides the configuration.")
    var database: String?

    @Option(help: "Control socket path; overrides the configuration.")
    var socket: String?

    @Flag(help: "Run one full cycle (recurring run, past-due sweep, outbox drain) and exit.")
    var once = false

    @Option(help: "Start a simulated clock at this ISO 8601 instant (with offset); it then advances in real time.")
    var now: String?

    @Flag(help: "Validate the configuration and exit: 0 when valid, 1 with the reason otherwise.")
    var checkConfig = false

    func loadConfiguration() throws -> Configuration {
        var configuration = try config.map { try Configuration.load(path: $0) } ?? Configuration.embeddedDefault()
        if let database { configuration.databasePath = database }
        if let socket { configuration.socketPath = socket }
        return configuration
    }

    func run() async throws {
        JournalStream.bootstrapLogging(identifier: "billingd")
        let logger = Logger(label: "billingd")
        let configuration: Configuration
        do {
            configuration = try loadConfiguration()
        } catch let error as BillingError {
            printError("billingd: \(error.message)")
            throw ExitCode(1)
        }
        if checkConfig {
            print("configuration OK: database \(configuration.databasePath), socket \(configuration.socketPath)")
            return
        }
        var clock = BillingClock.system
        if let now {
            guard let start = ISO8601Instant.parse(now) else {
                printError("billingd: --now '\(now)' is not an ISO 8601 instant with an offset (2027-01-31T09:00:00+01:00).")
                throw ExitCode(2)
            }
            clock = .simulated(startingAt: start)
        }
        do {
            // Opening the store (which runs the migrations), the watchdog's probe and reloads: blocking work kept off
            // the cooperative pool, on a thread of their own.
            let housekeeping = NIOThreadPool(numberOfThreads: 1)
            housekeeping.start()
            defer { housekeeping.shutdownGracefully { _ in } }
            let daemon = try await housekeeping.runIfActive { [config, clock, self] in
                try Daemon(configuration: configuration, configPath: config, clock: clock, logger: logger, overrides: self)
            }
            try await daemon.run(once: once, housekeeping: housekeeping)
        } catch let error as BillingError {
            logger.critical("\(error.message)", metadata: ["error_code": "\(error.cause ?? error.code)"])
            throw ExitCode(1)
        }
    }
}

extension BillingdCommand {
    /// Parses the arguments and runs. Top-level code would pick the synchronous `main()` (and `run()`) of
    /// ParsableCommand over the asynchronous ones; inside an async function the asynchronous ones are chosen.
    static func runFromCommandLine() async {
        let command = parseOrExit()
        do {
            try await command.run()
        } catch {
            exit(withError: error)
        }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// ISO 8601 instants with an explicit offset, as `--now` takes them.
enum ISO8601Instant {
    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
