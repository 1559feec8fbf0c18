import BillingDomain
import ControlProtocol
import Foundation

/// Everything billingd can be told. Every setting has a default, so the daemon runs with no file at all
/// (the embedded default: a local database, e-mail and SMS written to spool folders).
public struct Configuration: Sendable {
    public enum EmailTransport: String, Sendable, CaseIterable { case spool, smtp, sendmail }
    public enum SMSTransport: String, Sendable, CaseIterable { case spool, http }

    public var databasePath: String
    public var busyTimeoutMilliseconds: Int = 5_000
    public var socketPath: String
    public var socketMode: Int = 0o660
    /// Members of this group (and root) may run mutating commands.
    public var controlGroup: String = "billingd"
    public var controlMaxConnections: Int = 64
    public var controlMaxConnectionsPerUID: Int = 16
    public var controlMaxRequestBytes: Int = 8 << 20
    public var controlIdleTimeoutSeconds: Int = 30

    public var defaultTimeZone: TimeZone = TimeZone(identifier: "UTC")!
    public var defaultCurrency: Currency = Currency(code: "EUR")!
    public var defaultRoundingMode: RoundingMode = .halfUp
    public var defaultVatRounding: VatRounding = .perLine
    public var invoiceNumberFormat: String = "INV-{year}-{seq:6}"
    public var catchUpPolicy: CatchUpPolicy = .all
    public var catchUpLimit: Int = 120
    /// An imported RunDate further back than this many days is refused (a mistyped year would bill every run since).
    public var maxBackdateDays: Int = 400

    public var dunningDays: [Int] = [1, 7, 14]
    public var sendReceipts: Bool = true

    public var emailTransport: EmailTransport = .spool
    public var emailFrom: String = "billing@localhost"
    public var smtpHost: String = "localhost"
    public var smtpPort: Int = 25
    public var smtpStartTLS: Bool = false
    public var smtpUsername: String?
    /// Name of the credential (in $CREDENTIALS_DIRECTORY) or path of the file holding the SMTP password.
    public var smtpPasswordCredential: String = "smtp-password"
    public var sendmailPath: String = "/usr/sbin/sendmail"
    /// A PEM file of CA certificates for the relay's STARTTLS certificate (a private CA); nil: the system's.
    public var smtpCAFile: String?
    public var smtpTimeoutSeconds: Int = 30
    public var emailRatePerSecond: Int = 20

    public var smsTransport: SMSTransport = .spool
    public var smsGatewayURL: String?
    public var smsTokenCredential: String = "sms-token"
    public var smsRatePerSecond: Int = 10
    public var smsTimeoutSeconds: Int = 15
    /// A PEM file of CA certificates for an https gateway's certificate (a private CA); nil: the system's.
    public var smsCAFile: String?

    /// Spool folders not set explicitly are `spool/email`, `spool/sms`, `spool/post` beside the database file
    /// (DESIGN §4), so `--database` and `database.path` move them with it.
    public var emailSpoolDirectory: String {
        get { explicitSpoolDirectories[.email] ?? spoolDirectoryBesideDatabase(.email) }
        set { explicitSpoolDirectories[.email] = newValue }
    }
    public var smsSpoolDirectory: String {
        get { explicitSpoolDirectories[.sms] ?? spoolDirectoryBesideDatabase(.sms) }
        set { explicitSpoolDirectories[.sms] = newValue }
    }
    public var postSpoolDirectory: String {
        get { explicitSpoolDirectories[.post] ?? spoolDirectoryBesideDatabase(.post) }
        set { explicitSpoolDirectories[.post] = newValue }
    }
    private var explicitSpoolDirectories: [OutboxChannel: String] = [:]

    private func spoolDirectoryBesideDatabase(_ channel: OutboxChannel) -> String {
        URL(fileURLWithPath: databasePath).deletingLastPathComponent()
            .appendingPathComponent("spool/" + channel.rawValue).path
    }

    public var outboxMaxAttempts: Int = 8
    public var outboxBackoffBaseSeconds: Int = 30
    public var outboxBackoffMaxSeconds: Int = 6 * 3600
    public var outboxConcurrency: Int = 4
    public var templatesDirectory: String?
    /// How long a claimed message is reserved for its sender; after that a crashed sender's rows are claimed again.
    public var outboxLeaseSeconds: Int = 300

    /// The issuer printed on invoices and named in messages.
    public var sellerName: String = "billingd"
    public var sellerAddress: [String] = []
    public var sellerVatNumber: String?
    public var sellerEmail: String?
    public var sellerPhone: String?
    public var sellerBankAccount: String?

    /// The embedded default, placed under `$STATE_DIRECTORY` (systemd) or the user's local state folder.
    public static func embeddedDefault(environment: [String: String] = ProcessInfo.processInfo.environment) -> Configuration {
        Configuration(
            databasePath: stateDirectory(environment: environment) + "/billing.sqlite",
            socketPath: ControlSocketPath.defaultPath(environment: environment))
    }

    static func stateDirectory(environment: [String: String]) -> String {
        if let dir = environment["STATE_DIRECTORY"], !dir.isEmpty {
            // systemd may pass several colon-separated folders; the first is ours.
            return String(dir.split(separator: ":").first ?? Substring(dir))
        }
        if let dir = environment["XDG_STATE_HOME"], !dir.isEmpty { return dir + "/billingd" }
        if getuid() == 0 { return "/var/lib/billingd" }
        return (environment["HOME"] ?? "/tmp") + "/.local/state/billingd"
    }

    /// Reads a configuration file over the embedded default. Relative paths in the file are taken relative to
    /// the file's folder, so a configuration can travel with its data (as the development configuration does).
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Configuration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BillingError(.invalidConfig, "Cannot read the configuration file \(path).")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw BillingError(.invalidConfig, "\(path) is not valid UTF-8.")
        }
        let base = URL(fileURLWithPath: path).absoluteURL.deletingLastPathComponent().standardizedFileURL.path
        var config = embeddedDefault(environment: environment)
        try config.apply(ConfigFile.parse(text, source: path), source: path, baseDirectory: base)
        return config
    }
}
