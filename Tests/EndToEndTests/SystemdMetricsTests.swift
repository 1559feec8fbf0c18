import BillingTestKit
import ControlProtocol
import Foundation
import Testing

/// Samples of a Prometheus text exposition, keyed by `name{labels}` as printed.
private func samples(_ text: String) throws -> [String: Double] {
    var result: [String: Double] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        // name{label="value",…} number — the only shape the text format allows for a sample without timestamp.
        guard line.range(of: #"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? [0-9.eE+-]+$"#,
                         options: .regularExpression) != nil,
              let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
            throw TestFailure("not a Prometheus sample line: \(line)")
        }
        result[String(line[..<space])] = value
    }
    return result
}

@Suite("billingctl metrics")
struct SystemdMetricsTests {
    @Test func countersAndQueueGaugesInPrometheusTextFormat() throws {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2027-01-31T10:00:00Z"])
        #expect(try daemon.ctl("import", "-", input: Data(
            defaultCurrencyDocument("t-metrics", runDate: "2027-01-31T09:00:00").utf8)).exitCode == 0)
        #expect(try daemon.ctl("import", "-", input: Data(
            defaultCurrencyDocument("t-refused").replacingOccurrences(of: "Monthly", with: "Montly").utf8)).exitCode == 1)
        let unknown = try RawControlConnection(path: daemon.socket)
        unknown.send(#"{"command": "no-such-command"}"# + "\n")
        #expect(RawControlConnection.outcome(unknown.readLine()) == "UNKNOWN_COMMAND")
        // The import woke the scheduler; wait until its invoice is there and the cycle's drain has sent its
        // messages, so the figures below are final (a message moving from pending to sent between the two reads
        // below would make the gauges disagree with `status`).
        let deadline = Date().addingTimeInterval(10)
        while try SQLiteShell.scalar(daemon.database, """
            SELECT (SELECT count(*) FROM invoices) || '/' ||
                   (SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending'))
            """) != "1/0", Date() < deadline {
            usleep(50_000)
        }

        let metrics = try daemon.ctl("metrics")
        #expect(metrics.exitCode == 0, "\(metrics.stderr)")
        #expect(metrics.stdout.contains("# TYPE billingd_invoices_generated_total counter"))
        #expect(metrics.stdout.contains("# TYPE billingd_invoices gauge"))
        let figures = try samples(metrics.stdout)
        #expect(figures["billingd_invoices_generated_total"] == 1)
        #expect(figures["billingd_imports_refused_total"] == 1)
        #expect(figures[#"billingd_control_requests_total{command="import",outcome="ok"}"#] == 1)
        #expect(figures[#"billingd_control_requests_total{command="import",outcome="refused"}"#] == 1)
        #expect(figures[#"billingd_control_requests_total{command="unknown",outcome="refused"}"#] == 1,
                "unknown commands share one label value, so clients cannot grow the registry")

        // The queue gauges say what `status` says.
        let status = try daemon.ctl("--json", "status").json()
        for (group, metric) in [("invoices", "billingd_invoices"), ("outbox", "billingd_outbox_messages"),
                                ("templates", "billingd_templates")] {
            for member in status[group]?.members ?? [] {
                #expect(figures["\(metric){status=\"\(member.key)\"}"] == Double(member.value.intValue ?? -1),
                        "\(metric) \(member.key)")
            }
        }
        #expect(figures[#"billingd_invoices{status="Due"}"#] == 1)

        let json = try daemon.ctl("--json", "metrics")
        #expect(text(try json.json()["text"])?.contains("billingd_invoices_generated_total 1") == true)
        #expect(daemon.stop() == 0)
    }
}
