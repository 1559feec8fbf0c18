import BillingDelivery
import BillingDomain
import Foundation

/// What one drain sends with: the composer (templates, sender) and a transport and rate limit per channel, all
/// built from the configuration in force when the drain starts, so a reload never changes a drain half-way.
struct OutboxChannels {
    let composer: Result<MessageComposer, DeliveryFailure>
    let email: EmailTransport
    let sms: SMSTransport
    let post: PostSpoolTransport
    private let limits: [String: RateLimiter]

    init(_ configuration: Configuration) {
        let from = Mailbox(parsing: configuration.emailFrom)
        if let directory = Self.templatesDirectory(configuration) {
            composer = Result { try MessageComposer(templates: MessageTemplates(directory: directory), from: from) }
                .mapError { $0 as? DeliveryFailure ?? .transient(.templatesMissing, "\($0)") }
        } else {
            composer = .failure(.transient(
                .templatesMissing,
                "No template folder: set outbox.templates_directory or install config/templates as /etc/billingd/templates."))
        }
        switch configuration.emailTransport {
        case .spool:
            email = SpoolEmailTransport(directory: configuration.emailSpoolDirectory)
        case .sendmail:
            email = SendmailTransport(path: configuration.sendmailPath, timeout: TimeInterval(configuration.smtpTimeoutSeconds))
        case .smtp:
            email = SMTPTransport(options: .init(
                host: configuration.smtpHost, port: configuration.smtpPort, startTLS: configuration.smtpStartTLS,
                caFile: configuration.smtpCAFile, username: configuration.smtpUsername,
                passwordCredential: configuration.smtpPasswordCredential,
                timeoutSeconds: configuration.smtpTimeoutSeconds,
                heloName: ProcessInfo.processInfo.hostName.isEmpty ? "localhost" : ProcessInfo.processInfo.hostName))
        }
        switch configuration.smsTransport {
        case .spool:
            sms = SpoolSMSTransport(directory: configuration.smsSpoolDirectory)
        case .http:
            // The URL was checked when the configuration was read.
            sms = SMSGatewayTransport(url: URL(string: configuration.smsGatewayURL ?? "http://127.0.0.1/")!,
                                      tokenCredential: configuration.smsTokenCredential,
                                      timeoutSeconds: configuration.smsTimeoutSeconds, caFile: configuration.smsCAFile)
        }
        post = PostSpoolTransport(directory: configuration.postSpoolDirectory)
        // Rate limits protect relays and gateways; a spool folder takes whatever comes.
        limits = ["email": RateLimiter(perSecond: configuration.emailTransport == .spool ? nil : configuration.emailRatePerSecond),
                  "sms": RateLimiter(perSecond: configuration.smsTransport == .spool ? nil : configuration.smsRatePerSecond)]
    }

    /// Waits for the channel's next free slot.
    func pace(_ channel: String) {
        limits[channel]?.acquire()
    }

    /// Closes what the transports kept open for the drain (SMTP connections).
    func finish() {
        email.finish()
        sms.finish()
    }

    /// The configured folder, else the first that exists of `$CONFIGURATION_DIRECTORY/templates` (systemd),
    /// `/etc/billingd/templates` (deploy/install.sh), and `config/templates` of the checkout the executable was
    /// built in (development and tests).
    static func templatesDirectory(
        _ configuration: Configuration, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        if let configured = configuration.templatesDirectory { return configured }
        var candidates: [String] = []
        if let directory = environment["CONFIGURATION_DIRECTORY"]?.split(separator: ":").first {
            candidates.append("\(directory)/templates")
        }
        candidates.append("/etc/billingd/templates")
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(folder.appendingPathComponent("config/templates").path)
            folder.deleteLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
