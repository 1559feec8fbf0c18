import BillingDomain
import BillingEngine
import BillingTestKit
import ControlProtocol
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The database the daemon scenarios start `billingd` on: `invoices` invoices generated through the engine from as
/// many templates, all Due and none yet overdue at `DaemonUnderTest.quietInstant`. The customers have no contact
/// consent, so nothing waits in the outbox: the daemon has stored data and no work.
struct DaemonFixture {
    let database: BenchDatabase
    let invoices: Int
    /// Whether the fixture is the caller's (`--fixture DIR`) and stays after the run.
    let kept: Bool

    static let marker = "fixture.txt"

    /// Reuses the fixture in `directory` when it was made for the same number of invoices, else builds it there
    /// (or in a temporary folder when `directory` is nil).
    static func prepare(invoices: Int, directory: String?, log: (String) -> Void) throws -> DaemonFixture {
        let database = try directory.map { try BenchDatabase(folder: URL(fileURLWithPath: $0)) }
            ?? BenchDatabase(name: "daemon")
        let marker = database.folder.appendingPathComponent(Self.marker)
        let expected = "invoices=\(invoices)\n"
        if (try? String(contentsOf: marker, encoding: .utf8)) == expected,
           FileManager.default.fileExists(atPath: database.path) {
            try verify(database, invoices: invoices)
            log("daemon fixture: reusing \(database.path) (\(invoices) invoices)")
            return DaemonFixture(database: database, invoices: invoices, kept: directory != nil)
        }
        for name in [Self.marker, "billing.sqlite", "billing.sqlite-wal", "billing.sqlite-shm"] {
            try? FileManager.default.removeItem(at: database.folder.appendingPathComponent(name))
        }
        log("daemon fixture: generating \(invoices) invoices in \(database.path)")
        let importer = try database.engine(at: "2027-01-01T00:00:00Z")
        try Workload.importTemplates(invoices, into: importer, runDate: Scenarios.runDate, contact: .none)
        let report = try database.engine(at: "2027-01-15T12:00:00+01:00").runRecurring()
        guard report.generated.count == invoices else {
            throw BenchFailure(description: "daemon fixture: generated \(report.generated.count) invoices, expected \(invoices)")
        }
        try verify(database, invoices: invoices)
        try expected.write(to: marker, atomically: true, encoding: .utf8)
        return DaemonFixture(database: database, invoices: invoices, kept: directory != nil)
    }

    private static func verify(_ database: BenchDatabase, invoices: Int) throws {
        let counts = try database.engine(at: DaemonUnderTest.quietInstant).statusSnapshot().counts
        guard counts.invoices["Due"] == invoices, counts.invoices.values.reduce(0, +) == invoices,
              counts.outbox.values.reduce(0, +) == 0 else {
            throw BenchFailure(description: "daemon fixture at \(database.path) holds \(counts.invoices) invoices and "
                + "\(counts.outbox) outbox rows, expected \(invoices) Due and an empty outbox")
        }
    }

    func remove() {
        if !kept { database.remove() }
    }
}

enum DaemonScenarios {
    /// `clients` concurrent control clients, each on its own connection, `requests` status requests each, then
    /// as many preview requests (12 runs of a random template): latency from request written to answer read.
    static func control(_ fixture: DaemonFixture, clients: Int, requests: Int) throws -> [Measurement] {
        let daemon = try DaemonUnderTest(database: fixture.database.path)
        _ = try daemon.waitReady()
        _ = try daemon.waitFirstCycle()
        var results: [Measurement] = []
        let (invoices, socket) = (fixture.invoices, daemon.socketPath)
        for command in ["status", "preview"] {
            let latencies = Latencies()
            let failure = Latencies.Failure()
            let (_, seconds) = measure {
                DispatchQueue.concurrentPerform(iterations: clients) { _ in
                    do {
                        try latencies.add(runClient(command: command, requests: requests, invoices: invoices,
                                                    socket: socket))
                    } catch {
                        failure.set("\(error)")
                    }
                }
            }
            if let message = failure.message { throw BenchFailure(description: "control \(command): \(message)") }
            let sorted = latencies.sorted
            guard sorted.count == clients * requests else {
                throw BenchFailure(description: "control \(command): \(sorted.count) answers, expected \(clients * requests)")
            }
            func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
            results.append(Measurement(
                scenario: "control-\(command)", size: sorted.count, seconds: seconds,
                rate: Double(sorted.count) / seconds, unit: "requests/s",
                extra: ["clients": String(clients), "p50ms": String(format: "%.3f", percentile(0.50)),
                        "p99ms": String(format: "%.3f", percentile(0.99)), "maxms": String(format: "%.3f", sorted.last!),
                        "invoicesStored": String(fixture.invoices)]))
        }
        try daemon.stop()
        return results
    }

    /// One client's requests on one connection; every answer is checked (status counts, preview run count).
    private static func runClient(command: String, requests: Int, invoices: Int, socket: String) throws -> [Double] {
        let connection = try BlockingSocket(path: socket)
        var generator = SystemRandomNumberGenerator()
        var latencies: [Double] = []
        latencies.reserveCapacity(requests)
        for _ in 0..<requests {
            let request = command == "status"
                ? #"{"command": "status", "args": {}}"# + "\n"
                : #"{"command": "preview", "args": {"template": "t-\#(Int.random(in: 0..<invoices, using: &generator))", "count": 12}}"# + "\n"
            let start = ContinuousClock.now
            try connection.write(request)
            guard let line = try connection.readLine() else { throw BenchFailure(description: "the daemon closed the connection") }
            let elapsed = ContinuousClock.now - start
            latencies.append(milliseconds(elapsed))
            let answer = try JSONParser.parse(line, limits: JSONLimits(maxBytes: 1 << 20))
            guard answer["ok"]?.boolValue == true, let result = answer["result"] else {
                throw BenchFailure(description: "refused: \(String(decoding: line, as: UTF8.self))")
            }
            if command == "status" {
                guard result["invoices"]?["Due"]?.intValue == invoices else {
                    throw BenchFailure(description: "status counts \(result["invoices"]?.serialized() ?? "none"), "
                        + "expected \(invoices) Due")
                }
            } else {
                guard result["runs"]?.arrayValue?.count == 12,
                      result["runs"]?[0]?["totals"]?["incVat"]?.stringValue == Workload.currency.format(Workload.expectedTotal) else {
                    throw BenchFailure(description: "preview answered \(String(decoding: line.prefix(300), as: UTF8.self))")
                }
            }
        }
        return latencies
    }

    /// Exec to READY=1, `starts` times on the same database; also when the first cycle finished.
    static func start(_ fixture: DaemonFixture, starts: Int) throws -> Measurement {
        var ready: [Double] = []
        var firstCycle: [Double] = []
        var stdlib = ""
        for _ in 0..<starts {
            let daemon = try DaemonUnderTest(database: fixture.database.path)
            ready.append(milliseconds(try daemon.waitReady()))
            stdlib = daemon.swiftStdlib
            firstCycle.append(milliseconds(try daemon.waitFirstCycle()))
            try daemon.stop()
        }
        ready.sort()
        firstCycle.sort()
        let median = ready[ready.count / 2]
        return Measurement(scenario: "start", size: fixture.invoices, seconds: median / 1000, rate: median, unit: "ms to READY",
                           extra: ["starts": String(starts), "swiftStdlib": stdlib, "minms": String(format: "%.1f", ready.first!),
                                   "maxms": String(format: "%.1f", ready.last!),
                                   "firstCycleMedianMs": String(format: "%.1f", firstCycle[firstCycle.count / 2])])
    }

    /// The daemon left alone for `seconds` with the watchdog on: CPU, context switches, pings, resident memory.
    static func idle(_ fixture: DaemonFixture, seconds: Int, watchdogSeconds: Int = 20) throws -> Measurement {
        let daemon = try DaemonUnderTest(database: fixture.database.path, watchdogMicroseconds: watchdogSeconds * 1_000_000)
        _ = try daemon.waitReady()
        _ = try daemon.waitFirstCycle()
        // The first cycle's memory release and the first ping settle before the window opens.
        Thread.sleep(forTimeInterval: 1)
        let pingsBefore = daemon.notify.datagrams.count
        let before = try ProcessSample(pid: daemon.pid)
        Thread.sleep(forTimeInterval: TimeInterval(seconds))
        let after = try ProcessSample(pid: daemon.pid)
        let stdlib = daemon.swiftStdlib
        let received = daemon.notify.datagrams.dropFirst(pingsBefore)
        let pings = received.filter { $0.has("WATCHDOG=1") }.count
        let other = received.count - pings
        try daemon.stop()
        // Pings every half WATCHDOG_USEC: the window must hold about seconds / (watchdog / 2) of them.
        let expectedPings = seconds * 2 / watchdogSeconds
        guard abs(pings - expectedPings) <= 1 else {
            throw BenchFailure(description: "idle: \(pings) WATCHDOG=1 in \(seconds) s, expected about \(expectedPings)")
        }
        let cpuMs = (after.cpuTicks - before.cpuTicks) * 1000 / ProcessSample.ticksPerSecond
        return Measurement(
            scenario: "idle", size: fixture.invoices, seconds: Double(seconds), rate: Double(after.rssKiB) / 1024,
            unit: "MiB RSS",
            extra: ["cpuMs": String(cpuMs),
                    "cpuSchedMs": String(format: "%.2f", Double(after.cpuNanoseconds - before.cpuNanoseconds) / 1e6),
                    "rssFileMiB": String(format: "%.1f", Double(after.rssFileKiB) / 1024),
                    "rssAnonMiB": String(format: "%.1f", Double(after.rssAnonKiB) / 1024), "contextSwitches": String(after.contextSwitches - before.contextSwitches),
                    "voluntary": String(after.voluntarySwitches - before.voluntarySwitches),
                    "involuntary": String(after.involuntarySwitches - before.involuntarySwitches),
                    "watchdogPings": String(pings), "otherNotifications": String(other),
                    "threads": String(after.threads), "swiftStdlib": stdlib, "watchdogUsec": String(watchdogSeconds * 1_000_000)])
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}

/// Latencies collected from the client threads.
private final class Latencies: Sendable {
    private let values = Mutex<[Double]>([])

    func add(_ more: [Double]) {
        values.withLock { $0 += more }
    }

    var sorted: [Double] {
        values.withLock { $0 }.sorted()
    }

    /// The first failure a client thread met.
    final class Failure: Sendable {
        private let first = Mutex<String?>(nil)

        var message: String? { first.withLock { $0 } }

        func set(_ text: String) {
            first.withLock { first in
                if first == nil { first = text }
            }
        }
    }
}
