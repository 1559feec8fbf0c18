import BillingDomain
import BillingStore
import Foundation
import Testing

/// Generation on every store: each (template, run) invoiced once, numbers gapless, a bad template set aside.
@Suite("Generation storage operations")
struct GenerationStorageTests {
    private let t0 = StorageFixture.t0
    /// 2027-02-15T08:00:00Z, the second run.
    private let secondRun = StorageFixture.t0 + 31 * 86_400

    @Test(arguments: StorageSetup.all)
    func eachRunIsInvoicedOnceWithGaplessNumbers(_ setup: StorageSetup) throws {
        let store = try setup.open()
        let storage = store.storage
        let first = try StorageFixture.generateFirstRuns(storage, count: 3)
        #expect(first.map(\.number) == ["INV-2027-000001", "INV-2027-000002", "INV-2027-000003"])
        #expect(first.allSatisfy { $0.runIndex == 0 && $0.totalIncVat == 12_500 && $0.currency == "EUR" })
        #expect(try storage.dueTemplateIDs(at: t0, limit: 100).isEmpty, "the templates moved on to their next run")
        #expect(try storage.nextOutboxWakeAt() == t0, "the invoices' e-mails are due now")
        #expect(try storage.nextBillingWakeAt() == secondRun - 8 * 3_600,
                "the invoices' past-due instant (2027-02-15T00:00Z), before the templates' second run")

        // A second trigger of the same runs (a re-run after a crash): nothing is billed twice, no number is used.
        let again = try storage.generate(
            templateIDs: first.map(\.templateId), now: t0, numberFormat: StorageFixture.numberFormat
        ) { template, customer in
            var replay = template
            replay.nextRunIndex = 0
            return try StorageFixture.nextRun(replay, customer)
        }
        #expect(again.generated.isEmpty && again.alreadyInvoiced == 3)

        let due = try storage.dueTemplateIDs(at: secondRun, limit: 100)
        #expect(due == first.map(\.templateId))
        #expect(try storage.dueTemplateIDs(at: secondRun, limit: 100, only: due[1]) == [due[1]])
        let second = try storage.generate(templateIDs: due, now: secondRun, numberFormat: StorageFixture.numberFormat,
                                          plan: StorageFixture.nextRun)
        #expect(second.generated.map(\.number) == ["INV-2027-000004", "INV-2027-000005", "INV-2027-000006"])
        #expect(second.generated.allSatisfy { $0.runIndex == 1 })
        let template = try storage.template("t-1")
        #expect(template.nextRunIndex == 2 && template.runsGenerated == 2)
        #expect(try storage.invoiceSummaries(InvoiceListFilter(templateId: template.id), before: nil, limit: 10)
            .map(\.number) == ["INV-2027-000004", "INV-2027-000001"])
    }

    @Test(arguments: StorageSetup.all)
    func aTemplateThatCannotBeBilledIsPausedAndTheOthersGoOn(_ setup: StorageSetup) throws {
        let store = try setup.open()
        let storage = store.storage
        _ = try storage.importCatalog(customers: [StorageFixture.customer()],
                                      templates: try (1...3).map { try StorageFixture.template("t-\($0)") }, now: 0)
        let due = try storage.dueTemplateIDs(at: t0, limit: 100)
        let result = try storage.generate(templateIDs: due, now: t0, numberFormat: StorageFixture.numberFormat) {
            template, customer in
            if template.recordGuid == "t-2" { throw BillingError(.amountTooLarge, "The total is out of range.") }
            return try StorageFixture.nextRun(template, customer)
        }
        #expect(result.generated.map(\.number) == ["INV-2027-000001", "INV-2027-000002"], "no number is skipped")
        #expect(result.refused.map(\.templateId) == [due[1]])
        let refused = try storage.template("t-2")
        #expect(refused.status == .paused && refused.statusReason?.contains("out of range") == true)
        #expect(try storage.templateSummaries(before: nil, limit: 10).map(\.status) == ["active", "paused", "active"])
    }

    @Test(arguments: StorageSetup.all)
    func aPausedTemplateIsNotDueUntilItIsResumed(_ setup: StorageSetup) throws {
        let store = try setup.open()
        let storage = store.storage
        _ = try storage.importCatalog(customers: [StorageFixture.customer()],
                                      templates: [try StorageFixture.template("t-1")], now: 0)
        #expect(try storage.setTemplatePaused("t-1", paused: true, reason: "on hold", now: 1) == .paused)
        #expect(try storage.dueTemplateIDs(at: t0, limit: 100).isEmpty)
        #expect(throws: BillingError.self) { try storage.setTemplatePaused("t-1", paused: true, reason: nil, now: 2) }
        #expect(try storage.setTemplatePaused("t-1", paused: false, reason: nil, now: 3) == .active)
        #expect(try storage.dueTemplateIDs(at: t0, limit: 100).count == 1)
        do {
            _ = try storage.template("t-9")
            Issue.record("an unknown template was found")
        } catch let error as BillingError {
            #expect(error.code == .templateNotFound)
        }
    }
}
