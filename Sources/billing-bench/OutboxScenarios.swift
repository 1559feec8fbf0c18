import BillingDomain
import BillingEngine
import Foundation

/// The outbox drain, through the engine's own drain job (`BillingEngine.drainOutbox`, as the scheduler,
/// `billingctl drain` and `--once` run it): messages rendered from config/templates, invoice PDFs attached.
enum OutboxScenarios {
    /// A database with `invoices` generated invoices and their queued notifications, and an engine set up by
    /// `configure` to drain them a few minutes after they were queued.
    static func prepare(_ name: String, invoices: Int, contact: Workload.Contact,
                        configure: (inout Configuration) -> Void) throws -> (BenchDatabase, BillingEngine) {
        let database = try BenchDatabase(name: name)
        let importer = try database.engine(at: "2027-01-01T00:00:00Z")
        try Workload.importTemplates(invoices, into: importer, runDate: Scenarios.runDate, contact: contact)
        let generated = try database.engine(at: "2027-01-15T12:00:00+01:00").runRecurring()
        guard generated.generated.count == invoices else {
            throw BenchFailure(description: "\(name): generated \(generated.generated.count) invoices, expected \(invoices)")
        }
        let drainer = try database.engine(at: "2027-01-15T12:05:00+01:00", configure: configure)
        return (database, drainer)
    }

    /// E-mail (with the PDF) and SMS of `invoices` invoices into the spool folders.
    static func spool(invoices: Int) throws -> Measurement {
        var folders: [String: String] = [:]
        let (database, engine) = try prepare("outbox-spool", invoices: invoices, contact: .emailAndSMS) { configuration in
            folders = ["email": configuration.emailSpoolDirectory, "sms": configuration.smsSpoolDirectory]
        }
        defer { database.remove() }
        let (report, seconds) = try measure { try engine.drainOutbox() }
        let emails = try spoolFiles(folders["email"]!, ending: ".eml")
        let texts = try spoolFiles(folders["sms"]!, ending: "")
        guard report.sent == 2 * invoices, report.claimed == 2 * invoices, emails == invoices, texts == invoices else {
            throw BenchFailure(description: "outbox-spool: sent \(report.sent) of \(2 * invoices) (claimed \(report.claimed)); "
                + "\(emails) e-mail files and \(texts) SMS files for \(invoices) invoices")
        }
        return Measurement(scenario: "outbox-spool", size: report.sent, seconds: seconds,
                           rate: Double(report.sent) / seconds, unit: "messages/s",
                           extra: ["emailFiles": String(emails), "smsFiles": String(texts), "invoices": String(invoices),
                                   "concurrency": String(engine.configuration.outboxConcurrency)])
    }

    /// E-mail of `invoices` invoices to the local SMTP sink, against a plain client sending the same number of
    /// messages of the same mean size to the same sink: over one connection without and with pipelining, and over
    /// as many connections as the drain uses (`outbox.concurrency`), pipelined as the drain is. The ratio is taken
    /// against that last one: same sink, same bytes, same number of connections, same protocol.
    static func smtp(invoices: Int) throws -> [Measurement] {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let (database, engine) = try prepare("outbox-smtp", invoices: invoices, contact: .emailOnly) { configuration in
            configuration.emailTransport = .smtp
            configuration.smtpHost = "127.0.0.1"
            configuration.smtpPort = Int(sink.port)
            // The relay's rate limit is an operator's choice for a real relay; here the drain's own cost is measured.
            configuration.emailRatePerSecond = 0
        }
        defer { database.remove() }
        let (report, drainSeconds) = try measure { try engine.drainOutbox() }
        let received = sink.counts
        guard report.sent == invoices, received.messages == invoices else {
            throw BenchFailure(description: "outbox-smtp: drain sent \(report.sent), the sink received \(received.messages), "
                + "expected \(invoices)")
        }
        let meanSize = received.bytes / max(received.messages, 1)
        let connections = engine.configuration.outboxConcurrency
        let runs: [(connections: Int, pipelining: Bool)] = [(1, false), (1, true), (connections, true)]
        var plain: [Measurement] = []
        var expected = invoices
        for run in runs {
            // Three runs each, the median kept: a run of a tenth of a second is at the mercy of the scheduler here.
            var times: [Double] = []
            for _ in 0..<3 {
                times.append(try PlainSMTPClient.send(count: invoices, size: meanSize, port: sink.port,
                                                      connections: run.connections, pipelining: run.pipelining))
                expected += invoices
                let counted = sink.counts.messages
                guard counted == expected else {
                    throw BenchFailure(description: "outbox-smtp: the sink counted \(counted) messages, expected \(expected)")
                }
            }
            times.sort()
            plain.append(Measurement(
                scenario: "smtp-plain-client", size: invoices, seconds: times[1], rate: Double(invoices) / times[1],
                unit: "messages/s", extra: ["meanMessageBytes": String(meanSize), "connections": String(run.connections),
                                            "pipelining": String(run.pipelining),
                                            "runs": times.map { String(Int(Double(invoices) / $0)) }.joined(separator: "/")]))
        }
        let drainRate = Double(invoices) / drainSeconds
        let reference = plain[plain.count - 1].rate
        return plain + [
            Measurement(scenario: "outbox-smtp", size: invoices, seconds: drainSeconds, rate: drainRate,
                        unit: "messages/s",
                        extra: ["meanMessageBytes": String(meanSize), "connections": String(connections),
                                "vsPlainClient": String(format: "%.2f", drainRate / reference),
                                "vsPlainClientOneConnection": String(format: "%.2f", drainRate / plain[0].rate),
                                "concurrency": String(connections)]),
        ]
    }

    static func spoolFiles(_ folder: String, ending: String) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { !$0.hasPrefix(".") && $0.hasSuffix(ending) }.count
    }
}
