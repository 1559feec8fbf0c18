import BillingDomain
import BillingEngine
import BillingStore
import Foundation
import Logging

/// A fresh database in its own folder, with an engine over it whose clock stands where the scenario needs it.
final class BenchDatabase {
    let folder: URL
    var path: String { folder.appendingPathComponent("billing.sqlite").path }

    convenience init(name: String) throws {
        try self.init(folder: FileManager.default.temporaryDirectory
            .appendingPathComponent("billing-bench-\(name)-\(UUID().uuidString)"))
    }

    init(folder: URL) throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func engine(at instant: String, catchUpLimit: Int = 120, dunningDays: [Int] = [],
                configure: (inout Configuration) -> Void = { _ in }) throws -> BillingEngine {
        var configuration = Configuration.embeddedDefault()
        configuration.databasePath = path
        configuration.catchUpLimit = catchUpLimit
        configuration.dunningDays = dunningDays
        for (channel, keyPath) in [("email", \Configuration.emailSpoolDirectory), ("sms", \.smsSpoolDirectory),
                                   ("post", \.postSpoolDirectory)] {
            configuration[keyPath: keyPath] = folder.appendingPathComponent("spool/\(channel)").path
        }
        configure(&configuration)
        var logger = Logger(label: "billing-bench")
        logger.logLevel = .warning
        return try BillingEngine(configuration: configuration, clock: .simulated(startingAt: Workload.instant(instant)),
                                 logger: logger)
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Customers and templates shaped like a real book of business: five lines at mixed rates, e-mail and SMS
/// consent (two outbox rows per invoice), ten templates per customer.
enum Workload {
    static let zone = TimeZone(identifier: "Europe/Stockholm")!
    static let currency = Currency(code: "SEK")!

    static func instant(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)!
    }

    static let lines: [TemplateLine] = [
        TemplateLine(lineGuid: "hosting", productDescription: "Hosting", quantity: DecimalValue(plain: "1")!,
                     unitPrice: DecimalValue(plain: "499.00")!, unitCost: DecimalValue(plain: "120.00")!,
                     taxRate: DecimalValue(plain: "25")!),
        TemplateLine(lineGuid: "storage", productDescription: "Storage (GB)", quantity: DecimalValue(plain: "83.5")!,
                     unitPrice: DecimalValue(plain: "2.99")!, unitCost: DecimalValue(plain: "0.40")!,
                     taxRate: DecimalValue(plain: "25")!, discountPercent: DecimalValue(plain: "10")!),
        TemplateLine(lineGuid: "food", productDescription: "Coffee", quantity: DecimalValue(plain: "12")!,
                     unitPrice: DecimalValue(plain: "18.50")!, taxRate: DecimalValue(plain: "12")!),
        TemplateLine(lineGuid: "books", productDescription: "Manual", quantity: DecimalValue(plain: "1")!,
                     unitPrice: DecimalValue(plain: "249.00")!, taxRate: DecimalValue(plain: "6")!),
        TemplateLine(lineGuid: "fee", productDescription: "Bank fee", quantity: DecimalValue(plain: "1")!,
                     unitPrice: DecimalValue(plain: "15.00")!, taxRate: DecimalValue(plain: "0")!),
    ]

    static func template(_ index: Int, runDate: LocalDateTime, dueDays: Int) -> RecurringTemplate {
        RecurringTemplate(
            recordGuid: "t-\(index)", customerGuid: "c-\(index / 10)", currency: currency, dueDays: dueDays,
            repeatVery: "Monthly", recurrence: .monthly, runDate: runDate, timeZone: zone, lines: lines)
    }

    static var expectedTotal: Int64 {
        (try? template(0, runDate: LocalDateTime(year: 2027, month: 1, day: 15, hour: 9)!, dueDays: 30).calculate())?
            .totals.incVat ?? 0
    }

    /// Which notifications the customers agreed to: both (two outbox rows per invoice), e-mail only, or none
    /// (no outbox rows; the history says why), for scenarios that measure one channel or none.
    enum Contact { case emailAndSMS, emailOnly, none }

    /// Imports `count` templates through the store's import operation, in document-sized chunks.
    /// Half the templates are due 10 days after issue and half 60 days, so a sweep 30 days on finds half overdue.
    static func importTemplates(_ count: Int, into engine: BillingEngine, runDate: LocalDateTime,
                                contact: Contact = .emailAndSMS) throws {
        let chunk = 5_000
        var start = 0
        while start < count {
            let end = min(count, start + chunk)
            let customers = Set((start..<end).map { $0 / 10 }).sorted().map { c in
                Customer(guid: "c-\(c)", firstName: "Customer", lastName: "\(c)",
                         email: contact == .none ? nil : "c\(c)@example.com",
                         mobilePhone: "+4670\(String(format: "%07d", c % 10_000_000))", emailConsent: contact != .none,
                         smsConsent: contact == .emailAndSMS, language: "sv")
            }
            let templates = (start..<end).map { template($0, runDate: runDate, dueDays: $0 % 2 == 0 ? 10 : 60) }
            _ = try engine.store.importCatalog(customers: customers, templates: templates, now: 0)
            start = end
        }
    }
}

/// Peak resident memory of this process so far (VmHWM), in MiB.
func peakRSSMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kib / 1024
}

/// Seconds taken by `body`, from a monotonic clock.
/// User + system CPU seconds this process has used so far. On a shared machine the wall clock of a
/// single-threaded job moves with everything else running; its CPU time moves much less.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func measure<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let value = try body()
    let elapsed = ContinuousClock.now - start
    return (value, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}
