import BillingStore
import Foundation
import Testing

@Suite("List paging query plans")
struct ListPagingQueryPlanTests {
    /// Each page of `invoices list` seeks an index and reads one page of it, whatever the filter: never a scan of
    /// the whole table.
    @Test func everyInvoicesListPageSearchesAnIndex() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(options: .init(path: folder.appendingPathComponent("billing.sqlite").path), now: 0)
        let filters: [(InvoiceListFilter, String)] = [
            (InvoiceListFilter(), "SEARCH i USING INTEGER PRIMARY KEY (rowid<?)"),
            (InvoiceListFilter(issuedFrom: "2027-01-01", issuedTo: "2027-01-31"), "SEARCH i USING INTEGER PRIMARY KEY (rowid<?)"),
            (InvoiceListFilter(status: .due), "SEARCH s USING INTEGER PRIMARY KEY (rowid<?)"),
            (InvoiceListFilter(customerId: 1), "SEARCH i USING INDEX invoices_customer (customer_id=? AND rowid<?)"),
            (InvoiceListFilter(status: .paid, customerId: 1), "SEARCH i USING INDEX invoices_customer (customer_id=? AND rowid<?)"),
            (InvoiceListFilter(templateId: 1), "SEARCH i USING INDEX sqlite_autoindex_invoices_2 (template_id=?)"),
        ]
        for (filter, expected) in filters {
            let plan = try store.invoiceListQueryPlan(filter)
            #expect(plan.first == expected, "\(filter): \(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(filter): \(plan)")
        }
    }
}
