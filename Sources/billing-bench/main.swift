import ArgumentParser
import Foundation

struct BillingBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing-bench",
        abstract: "Measures billingd's jobs on fresh databases through the daemon's own code, checking every result.",
        discussion: "Run it in release mode: swift run -c release billing-bench")

    @Option(help: "Comma-separated template counts for generation and sweep.")
    var sizes = "10000,100000,1000000"

    @Option(help: "Templates for the catch-up scenario (12 missed monthly runs each).")
    var catchUpTemplates = 10_000

    @Option(help: "Comma-separated scenarios: \(Self.allScenarios.joined(separator: ",")).")
    var scenarios = Self.allScenarios.joined(separator: ",")

    @Option(help: "Invoices whose e-mail and SMS the outbox-spool scenario drains (two messages each).")
    var outboxInvoices = 5_000

    @Option(help: "Invoices whose e-mail the outbox-smtp scenario drains to the local SMTP sink.")
    var smtpInvoices = 2_000

    @Option(help: "Invoices stored in the database the daemon scenarios (control, start, idle) run billingd on.")
    var daemonInvoices = 1_000_000

    @Option(help: "A folder for the daemon scenarios' database, kept and reused by later runs with the same --daemon-invoices.")
    var fixture: String?

    @Option(help: "Concurrent control clients.")
    var clients = 16

    @Option(help: "Requests per control client and command.")
    var requests = 500

    @Option(help: "Seconds the idle scenario watches the daemon.")
    var idleSeconds = 60

    @Option(help: "Daemon starts the start scenario takes the median of.")
    var starts = 7

    @Option(help: "Where to write the JSON report.")
    var report = "/tmp/billing-bench-report.json"

    @Option(help: "A billingd executable for the daemon scenarios instead of the one built from these sources next to the benchmark (e.g. one built with --static-swift-stdlib, as deploy/install.sh does).")
    var daemon: String?

    static let allScenarios = ["generation", "catch-up", "outbox-spool", "outbox-smtp", "control", "start", "idle"]

    func run() throws {
        #if DEBUG
        say("warning: a debug build measures the Swift optimiser's absence; use swift run -c release billing-bench")
        #endif
        let chosen = scenarios.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        if let unknown = chosen.first(where: { !Self.allScenarios.contains($0) }) {
            throw ValidationError("unknown scenario '\(unknown)'; choose from \(Self.allScenarios.joined(separator: ", "))")
        }
        var results: [Measurement] = []
        func record(_ measured: [Measurement]) {
            measured.forEach(printRow)
            results += measured
        }
        if chosen.contains("generation") {
            for size in sizes.split(separator: ",").compactMap({ Int($0) }) {
                record(try Scenarios.generationAndSweep(size: size))
            }
        }
        if chosen.contains("catch-up") { record([try Scenarios.catchUp(templates: catchUpTemplates)]) }
        if chosen.contains("outbox-spool") { record([try OutboxScenarios.spool(invoices: outboxInvoices)]) }
        if chosen.contains("outbox-smtp") { record(try OutboxScenarios.smtp(invoices: smtpInvoices)) }
        let daemonScenarios = chosen.filter { ["control", "start", "idle"].contains($0) }
        if !daemonScenarios.isEmpty {
            DaemonUnderTest.chosenExecutable = daemon
            _ = try DaemonUnderTest.executable()  // fail before a long fixture build when billingd is not built
            let prepared = try DaemonFixture.prepare(invoices: daemonInvoices, directory: fixture) { say($0) }
            defer { prepared.remove() }
            if chosen.contains("start") { record([try DaemonScenarios.start(prepared, starts: starts)]) }
            if chosen.contains("control") {
                record(try DaemonScenarios.control(prepared, clients: clients, requests: requests))
            }
            if chosen.contains("idle") { record([try DaemonScenarios.idle(prepared, seconds: idleSeconds)]) }
        }
        try writeReport(results)
        say("report written to \(report)")
    }

    func printRow(_ m: Measurement) {
        let extra = m.extra.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let name = m.scenario.padding(toLength: 20, withPad: " ", startingAt: 0)
        let unit = m.unit.padding(toLength: 12, withPad: " ", startingAt: 0)
        say(name + String(format: "%10d %9.3f s %12.0f ", m.size, m.seconds, m.rate) + unit + " " + extra)
    }

    func writeReport(_ results: [Measurement]) throws {
        let entries: [[String: Any]] = results.map {
            ["scenario": $0.scenario, "size": $0.size, "seconds": $0.seconds, "rate": $0.rate, "unit": $0.unit,
             "extra": $0.extra]
        }
        let document: [String: Any] = [
            "date": ISO8601DateFormatter().string(from: Date()),
            "machine": ["cores": ProcessInfo.processInfo.activeProcessorCount,
                        "memoryGiB": Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824],
            "results": entries,
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: report))
    }
}

/// A line on standard output at once, also when it is a file or a pipe (a long run shows its progress).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

BillingBench.main()
