import BillingDomain
import Foundation

extension Configuration {
    /// Applies parsed entries; an unknown key, a wrong type or a value out of range names its line.
    mutating func apply(_ entries: [ConfigEntry], source: String, baseDirectory: String) throws {
        for entry in entries {
            func fail(_ message: String) -> BillingError {
                BillingError(.invalidConfig, "\(source):\(entry.line): \(entry.key): \(message)")
            }
            func string() throws -> String {
                guard case .string(let s) = entry.value else { throw fail("expected a \"string\"") }
                return s
            }
            func path() throws -> String {
                let s = try string()
                guard !s.isEmpty else { throw fail("expected a path") }
                return s.hasPrefix("/") ? s
                    : URL(fileURLWithPath: s, relativeTo: URL(fileURLWithPath: baseDirectory, isDirectory: true))
                        .standardizedFileURL.path
            }
            func integer(_ range: ClosedRange<Int>) throws -> Int {
                guard case .integer(let n) = entry.value else { throw fail("expected a whole number") }
                guard range.contains(n) else { throw fail("\(n) is outside \(range.lowerBound)…\(range.upperBound)") }
                return n
            }
            func bool() throws -> Bool {
                guard case .bool(let b) = entry.value else { throw fail("expected true or false") }
                return b
            }
            func choice<T: RawRepresentable & CaseIterable>(_: T.Type) throws -> T where T.RawValue == String {
                let s = try string()
                guard let value = T(rawValue: s) else {
                    throw fail("'\(s)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return value
            }

            switch entry.key {
            case "database.path": databasePath = try path()
            case "database.busy_timeout_ms": busyTimeoutMilliseconds = try integer(0...600_000)
            case "control.socket": socketPath = try path()
            case "control.group": controlGroup = try string()
            case "control.max_connections": controlMaxConnections = try integer(1...10_000)
            case "control.max_connections_per_uid": controlMaxConnectionsPerUID = try integer(1...10_000)
            case "control.max_request_bytes": controlMaxRequestBytes = try integer(1024...(64 << 20))
            case "control.idle_timeout_seconds": controlIdleTimeoutSeconds = try integer(1...3600)
            case "billing.time_zone":
                let name = try string()
                do { defaultTimeZone = try ZoneResolution.timeZone(identifier: name) } catch let error as BillingError {
                    throw fail(error.message)
                }
            case "billing.currency":
                let code = try string()
                guard let currency = Currency(code: code) else { throw fail("unknown ISO 4217 currency '\(code)'") }
                defaultCurrency = currency
            case "billing.rounding_mode": defaultRoundingMode = try choice(RoundingMode.self)
            case "billing.vat_rounding": defaultVatRounding = try choice(VatRounding.self)
            case "billing.invoice_number_format":
                let format = try string()
                do { _ = try InvoiceNumberFormat(format) } catch let error as BillingError { throw fail(error.message) }
                invoiceNumberFormat = format
            case "billing.catch_up_policy": catchUpPolicy = try choice(CatchUpPolicy.self)
            case "billing.catch_up_limit": catchUpLimit = try integer(1...100_000)
            case "billing.max_backdate_days": maxBackdateDays = try integer(0...36_500)
            case "dunning.reminder_days":
                guard case .array(let items) = entry.value else { throw fail("expected an array such as [1, 7, 14]") }
                var days: [Int] = []
                for item in items {
                    guard case .integer(let d) = item, (0...3650).contains(d) else {
                        throw fail("reminder days must be whole numbers 0…3650")
                    }
                    days.append(d)
                }
                guard days == days.sorted(), Set(days).count == days.count else {
                    throw fail("reminder days must be increasing without repeats")
                }
                dunningDays = days
            case "dunning.send_receipts": sendReceipts = try bool()
            case "email.transport": emailTransport = try choice(EmailTransport.self)
            case "email.from": emailFrom = try string()
            case "email.spool_directory": emailSpoolDirectory = try path()
            case "email.smtp_host": smtpHost = try string()
            case "email.smtp_port": smtpPort = try integer(1...65535)
            case "email.smtp_starttls": smtpStartTLS = try bool()
            case "email.smtp_username": smtpUsername = try string()
            case "email.smtp_password_credential": smtpPasswordCredential = try string()
            case "email.sendmail_path": sendmailPath = try path()
            case "email.smtp_ca_file": smtpCAFile = try path()
            case "email.smtp_timeout_seconds": smtpTimeoutSeconds = try integer(1...600)
            case "email.rate_per_second": emailRatePerSecond = try integer(1...10_000)
            case "sms.transport": smsTransport = try choice(SMSTransport.self)
            case "sms.spool_directory": smsSpoolDirectory = try path()
            case "sms.gateway_url":
                let url = try string()
                guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw fail("expected an http(s) URL") }
                smsGatewayURL = url
            case "sms.token_credential": smsTokenCredential = try string()
            case "sms.rate_per_second": smsRatePerSecond = try integer(1...10_000)
            case "sms.timeout_seconds": smsTimeoutSeconds = try integer(1...600)
            case "sms.ca_file": smsCAFile = try path()
            case "post.spool_directory": postSpoolDirectory = try path()
            case "outbox.max_attempts": outboxMaxAttempts = try integer(1...100)
            case "outbox.backoff_base_seconds": outboxBackoffBaseSeconds = try integer(1...86_400)
            case "outbox.backoff_max_seconds": outboxBackoffMaxSeconds = try integer(1...(30 * 86_400))
            case "outbox.concurrency": outboxConcurrency = try integer(1...64)
            case "outbox.templates_directory": templatesDirectory = try path()
            case "outbox.lease_seconds": outboxLeaseSeconds = try integer(10...86_400)
            case "seller.name": sellerName = try string()
            case "seller.address":
                guard case .array(let items) = entry.value else { throw fail("expected an array of lines") }
                sellerAddress = try items.map { item in
                    guard case .string(let line) = item else { throw fail("address lines must be \"strings\"") }
                    return line
                }
            case "seller.vat_number": sellerVatNumber = try string()
            case "seller.email": sellerEmail = try string()
            case "seller.phone": sellerPhone = try string()
            case "seller.bank_account": sellerBankAccount = try string()
            default:
                throw BillingError(.invalidConfig, "\(source):\(entry.line): unknown setting \(entry.key)")
            }
        }
        if smsTransport == .http, smsGatewayURL == nil {
            throw BillingError(.invalidConfig, "\(source): sms.transport = \"http\" needs sms.gateway_url")
        }
        if outboxBackoffMaxSeconds < outboxBackoffBaseSeconds {
            throw BillingError(.invalidConfig, "\(source): outbox.backoff_max_seconds is below outbox.backoff_base_seconds")
        }
    }
}
