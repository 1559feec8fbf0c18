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
    /// messages of the same mean size to the same sink over one kept connection.
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
        let plainSeconds = try PlainSMTPClient.send(count: invoices, size: meanSize, port: sink.port)
        let afterPlain = sink.counts.messages
        guard afterPlain == 2 * invoices else {
            throw BenchFailure(description: "outbox-smtp: the sink counted \(afterPlain) messages, expected \(2 * invoices)")
        }
        let drainRate = Double(invoices) / drainSeconds
        let plainRate = Double(invoices) / plainSeconds
        return [
            Measurement(scenario: "smtp-plain-client", size: invoices, seconds: plainSeconds, rate: plainRate,
                        unit: "messages/s", extra: ["meanMessageBytes": String(meanSize), "connections": "1"]),
            Measurement(scenario: "outbox-smtp", size: invoices, seconds: drainSeconds, rate: drainRate,
                        unit: "messages/s",
                        extra: ["meanMessageBytes": String(meanSize), "vsPlainClient": String(format: "%.2f", drainRate / plainRate),
                                "concurrency": String(engine.configuration.outboxConcurrency)]),
        ]
    }

    static func spoolFiles(_ folder: String, ending: String) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { !$0.hasPrefix(".") && $0.hasSuffix(ending) }.count
    }
}
