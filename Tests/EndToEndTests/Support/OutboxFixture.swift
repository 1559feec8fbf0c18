import BillingTestKit
import ControlProtocol
import Foundation

/// A database with one customer (Swedish, e-mail and SMS consent) and one monthly template whose first run is
/// 2027-01-31 09:00 Stockholm, imported while nothing was due; a configuration with the repository's templates,
/// a seller, spool folders in a temporary folder, plus whatever `settings` a test adds.
///
/// The invoice it bills: 499.00 + 3 × 19.99 at 25 % and 200.00 at 6 % = 758.97 net, 151.74 VAT, 910.71 SEK.
final class OutboxFixture: @unchecked Sendable {
    static let firstRun = "2027-01-31T10:00:00+01:00"
    static let invoiceNumber = "INV-2027-000001"
    static let total = "910.71"
    static let document = """
        {"Customers": [{"CustomerGUID": "c-1", "FirstName": "Åsa", "LastName": "Öberg", "Email": "asa@example.com",
                        "MobilePhoneNumber": "+46 70 123 45 67", "SmsConsent": true, "EmailConsent": true,
                        "Language": "sv", "AddressLine1": "Kungsgatan 5", "PostalCode": "411 19", "City": "Göteborg",
                        "Country": "Sverige"}],
         "RecurringInvoices": [{"Header": {"RecordGuid": "t-1", "CustomerGUID": "c-1", "RepeatVery": "Monthly",
                                           "RunDate": "2027-01-31T09:00:00", "NextRunDate": "2027-01-31T09:00:00",
                                           "DueDays": 30, "Currency": "SEK", "CurrencyRate": "0.0875",
                                           "TimeZone": "Europe/Stockholm"},
                                "Lines": [{"LineGuid": "l-1", "ProductDescription": "Webbhotell – årsavgift", "Quantity": 1,
                                           "UnitPrice": "499.00", "TaxRate": 25},
                                          {"LineGuid": "l-2", "ProductDescription": "Support", "Quantity": 3,
                                           "UnitPrice": "19.99", "TaxRate": 25},
                                          {"LineGuid": "l-3", "ProductDescription": "Böcker", "Quantity": 1,
                                           "UnitPrice": "200.00", "TaxRate": 6}]}]}
        """

    let folder: URL
    let importer: DaemonProcess
    var database: String { importer.database }
    var configPath: String { importer.directory.appendingPathComponent("billingd.conf").path }
    let config: String
    /// Holds the credentials (`smtp-password`, `sms-token`) as systemd's LoadCredential= would.
    var credentials: URL { folder.appendingPathComponent("credentials") }
    var environment: [String: String] { ["CREDENTIALS_DIRECTORY": credentials.path] }

    init(_ settings: String = "", document: String = OutboxFixture.document) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("credentials"),
                                                withIntermediateDirectories: true)
        config = """
            [email]
            from = "Exempel AB <faktura@example.com>"
            spool_directory = "\(folder.path)/spool/email"
            [sms]
            spool_directory = "\(folder.path)/spool/sms"
            [post]
            spool_directory = "\(folder.path)/spool/post"
            [outbox]
            templates_directory = "\(Examples.root.path)/config/templates"
            [seller]
            name = "Exempel AB"
            address = ["Storgatan 1", "111 22 Stockholm"]
            vat_number = "SE556677889901"
            email = "faktura@example.com"
            bank_account = "Bankgiro 123-4567"
            \(settings)
            """
        importer = try DaemonProcess(extraArguments: ["--now", "2026-12-01T00:00:00Z"], config: config)
        let imported = try importer.ctl("--json", "import", "-", input: Data(document.utf8))
        guard imported.exitCode == 0 else { throw TestFailure("import failed: \(imported.stdout)\(imported.stderr)") }
        guard importer.stop() == 0 else { throw TestFailure("billingd did not stop: \(importer.log())") }
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    func writeCredential(_ name: String, _ secret: String) throws {
        try (secret + "\n").write(to: credentials.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// `billingd --once` on the fixture's database and configuration at a simulated instant.
    @discardableResult
    func once(_ now: String) throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment
        environment.merge(self.environment) { $1 }
        let result = try runProgram(
            Products.billingd, ["--once", "--database", database, "--config", configPath, "--now", now],
            environment: environment, timeout: 300)
        guard result.exitCode == 0 else { throw TestFailure("billingd --once failed: \(result.stderr)") }
        return result
    }

    /// The real daemon on the fixture's database.
    func daemon(now: String) throws -> DaemonProcess {
        try DaemonProcess(extraArguments: ["--now", now], config: config, environment: environment, database: database)
    }

    func rows(_ sql: String) throws -> [[String]] { try SQLiteShell.rows(database, sql) }

    /// status, attempts, last_error_code, provider_message_id of the outbox row on `channel`.
    func outbox(_ channel: String) throws -> [String] {
        try rows("SELECT status, attempts, ifnull(last_error_code, ''), ifnull(provider_message_id, '') FROM outbox WHERE channel = '\(channel)'").first ?? []
    }

    /// (type, channel, error_code, error_message) of the invoice's notification events, oldest first.
    func notificationHistory() throws -> [[String]] {
        try rows("SELECT type, ifnull(channel, ''), ifnull(error_code, ''), ifnull(error_message, '') FROM invoice_history WHERE type LIKE 'notification%' ORDER BY id")
    }
}

extension OutboxFixture {
    /// A bulk resend of invoice 1 queued by another program: `count` e-mails, one per recipient
    /// (r1@example.com …), each with its own idempotency key `prefix-N`, so its Message-ID is <prefix-N@example.com>.
    func queueResends(_ count: Int, keyPrefix prefix: String) throws {
        try SQLiteShell.execute(database, """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
            INSERT INTO outbox (invoice_id, channel, kind, recipient, language, idempotency_key, status, next_attempt_at,
                                created_at, updated_at)
            SELECT 1, 'email', 'resend', 'r' || i || '@example.com', 'en', '\(prefix)-' || i, 'pending', 0, 0, 0 FROM n
            """)
    }
}
