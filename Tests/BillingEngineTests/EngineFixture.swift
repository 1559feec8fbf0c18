@testable import BillingDelivery
@testable import BillingEngine
@testable import ControlProtocol
import BillingDomain
import BillingTestKit
import Foundation
import Logging

/// A database in a temporary folder, and engines over it whose clocks start where a test needs them: the daemon's
/// code paths (import, run, sweep, control commands, the PDF) in process, without starting billingd.
final class EngineFixture: @unchecked Sendable {
    let folder: URL
    var databasePath: String { folder.appendingPathComponent("billing.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    /// An engine on the fixture's database whose clock reads `instant` (ISO 8601 with offset) now.
    func engine(at instant: String, configure: (inout Configuration) -> Void = { _ in }) throws -> BillingEngine {
        var configuration = Configuration.embeddedDefault()
        configuration.databasePath = databasePath
        configuration.dunningDays = [1, 7]
        configuration.sellerName = "Exempel AB"
        for (channel, keyPath) in [("email", \Configuration.emailSpoolDirectory), ("sms", \.smsSpoolDirectory),
                                   ("post", \.postSpoolDirectory)] {
            configuration[keyPath: keyPath] = folder.appendingPathComponent("spool/\(channel)").path
        }
        configure(&configuration)
        var logger = Logger(label: "engine-fixture")
        logger.logLevel = .critical
        guard let start = ISO8601DateFormatter().date(from: instant) else {
            throw BillingError(.invalidRequest, "bad instant \(instant)")
        }
        return try BillingEngine(configuration: configuration, clock: .simulated(startingAt: start), logger: logger)
    }

    /// A control command as billingctl sends it, from the daemon's own user: the result, or the refusal thrown.
    @discardableResult
    func ctl(_ engine: BillingEngine, _ command: String, _ args: JSONValue = [:]) throws -> JSONValue {
        let peer = UnixSocket.PeerCredentials(pid: getpid(), uid: geteuid(), gid: getegid())
        switch CommandRouter(engine: engine).handle(ControlRequest(command: command, args: args), peer: peer) {
        case .success(let result): return result
        case .failure(let error): throw error
        }
    }

    @discardableResult
    func importDocument(_ engine: BillingEngine, _ document: String) throws -> JSONValue {
        try ctl(engine, "import", ["documentBase64": .string(Data(document.utf8).base64EncodedString())])
    }

    func show(_ engine: BillingEngine, _ number: String) throws -> JSONValue {
        try ctl(engine, "invoices.show", ["number": .string(number)])
    }

    /// The invoice's PDF as it is sent, and its text as `pdftotext -layout` reads it.
    func pdf(_ engine: BillingEngine, _ number: String) throws -> (bytes: [UInt8], text: String) {
        let (document, customer) = try InvoiceDocument.load(
            number: number, store: engine.store, configuration: engine.configuration)
        let bytes = InvoicePDF.render(document, language: customer.language)
        let file = folder.appendingPathComponent("\(number).pdf")
        try Data(bytes).write(to: file)
        return (bytes, try runProgram("/usr/bin/pdftotext", ["-layout", file.path, "-"]).stdout)
    }

    /// One customer and one monthly template; `header` and `line` add fields (JSON members with a leading comma).
    static func document(
        customer: String = #""FirstName": "Åsa", "LastName": "Öberg", "AddressLine1": "Kungsgatan 5", "PostalCode": "411 19", "City": "Göteborg", "Country": "Sverige""#,
        header: String = "", line: String = #", "UnitPrice": "100.00""#, zone: String = "Europe/Stockholm",
        runDate: String = "2027-01-31T09:00:00"
    ) -> String {
        """
        {"Customers": [{"CustomerGUID": "c-1", "Email": "asa@example.com", "Language": "en", \(customer)}],
         "RecurringInvoices": [{"Header": {"RecordGuid": "t-1", "CustomerGUID": "c-1", "RepeatVery": "Monthly",
                                           "RunDate": "\(runDate)", "NextRunDate": "\(runDate)", "DueDays": 30,
                                           "Currency": "EUR", "TimeZone": "\(zone)"\(header)},
                                "Lines": [{"LineGuid": "l-1", "ProductDescription": "Hosting", "Quantity": 1,
                                           "TaxRate": 25\(line)}]}]}
        """
    }
}
