import BillingDomain
import BillingStore
import Foundation
import Testing

/// One kind of store the storage tests run on. Every test of `BillingStorage` takes the list `all` as its
/// arguments, so each test body runs once per store, and a new store is held to the same rules by adding its
/// setup here.
struct StorageSetup: Sendable, CustomTestStringConvertible {
    let name: String
    /// The location of an empty store inside `folder`, as `[database] path` names it.
    let location: @Sendable (_ folder: URL) -> String

    var testDescription: String { name }

    static let all: [StorageSetup] = [
        StorageSetup(name: "SQLite file") { $0.appendingPathComponent("billing.sqlite").path },
    ]

    /// An empty store, opened (and migrated) the way the daemon opens it, in a temporary folder of its own.
    func open() throws -> StorageUnderTest {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("storage-\(UUID().uuidString)")
        let storage = try openBillingStorage(location: location(folder), busyTimeoutMilliseconds: 5_000, now: 0)
        return StorageUnderTest(storage: storage, folder: folder)
    }
}

/// A store under test; its folder goes when the test lets go of it.
final class StorageUnderTest {
    let storage: any BillingStorage
    let folder: URL

    init(storage: any BillingStorage, folder: URL) {
        self.storage = storage
        self.folder = folder
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Catalog values and a generation plan built from the domain alone, so the tests need nothing but the store.
enum StorageFixture {
    /// 2027-01-15T08:00:00Z, the first run of `template`.
    static let t0: Int64 = 1_800_000_000
    static let numberFormat = try! InvoiceNumberFormat("INV-{year}-{seq:6}")

    static func customer(_ guid: String = "c-1") -> Customer {
        Customer(guid: guid, firstName: "Åsa", lastName: "Öberg", email: "asa@example.com", emailConsent: true,
                 language: "en", address: PostalAddress(line1: "Kungsgatan 5", postalCode: "411 19", city: "Göteborg"))
    }

    /// A monthly template in UTC, first run `runDate`, one line of 100.00 EUR at 25 % VAT, due in 30 days.
    static func template(_ guid: String, customer: String = "c-1", runDate: String = "2027-01-15T08:00:00") throws
        -> RecurringTemplate {
        let zone = TimeZone(identifier: "UTC")!
        return RecurringTemplate(
            recordGuid: guid, customerGuid: customer, currency: Currency(code: "EUR")!, dueDays: 30,
            repeatVery: "Monthly", recurrence: try Recurrence.parse("Monthly"),
            runDate: try LocalDateTime.parse(runDate, in: zone), timeZone: zone,
            lines: [TemplateLine(lineGuid: "l-1", productDescription: "Hosting", quantity: DecimalValue(1),
                                 unitPrice: DecimalValue(100), taxRate: DecimalValue(25))])
    }

    /// Invoices each template's next run, issued on its run date, and moves the template on by one run.
    static func nextRun(_ template: RecurringTemplate, _ customer: Customer) throws -> TemplatePlan {
        let run = try #require(template.schedule.run(template.nextRunIndex))
        let invoice = InvoiceFactory.invoice(for: template, run: run, calculation: try template.calculate(),
                                             customer: customer, issuedOn: run.local.date)
        return TemplatePlan(invoices: [invoice], nextRunIndex: template.nextRunIndex + 1, skipped: nil, pauseReason: nil)
    }

    /// Imports `count` templates of one customer and invoices their first run at `t0`; the invoices, in order.
    @discardableResult
    static func generateFirstRuns(_ storage: any BillingStorage, count: Int) throws -> [GenerationResult.Generated] {
        _ = try storage.importCatalog(customers: [customer()],
                                      templates: try (1...count).map { try template("t-\($0)") }, now: 0)
        let due = try storage.dueTemplateIDs(at: t0, limit: 100)
        return try storage.generate(templateIDs: due, now: t0, numberFormat: numberFormat, plan: nextRun).generated
    }
}
