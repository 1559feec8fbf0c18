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

    @Option(help: "Where to write the JSON report.")
    var report = "billing-bench-report.json"

    func run() throws {
        #if DEBUG
        print("warning: a debug build measures the Swift optimiser's absence; use swift run -c release billing-bench")
        #endif
        let sizes = self.sizes.split(separator: ",").compactMap { Int($0) }
        var results: [Measurement] = []
        for size in sizes {
            let measured = try Scenarios.generationAndSweep(size: size)
            measured.forEach(printRow)
            results += measured
        }
        let catchUp = try Scenarios.catchUp(templates: catchUpTemplates)
        printRow(catchUp)
        results.append(catchUp)
        try writeReport(results)
        print("report written to \(report)")
    }

    func printRow(_ m: Measurement) {
        let extra = m.extra.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let name = m.scenario.padding(toLength: 20, withPad: " ", startingAt: 0)
        let unit = m.unit.padding(toLength: 12, withPad: " ", startingAt: 0)
        print(name + String(format: "%10d %9.3f s %12.0f ", m.size, m.seconds, m.rate) + unit + " " + extra)
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

BillingBench.main()
