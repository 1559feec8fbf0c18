import BillingTestKit
import ControlProtocol
import Foundation
import Testing

/// Lists page as DESIGN.md §4 says: newest first by id, `--limit` (default 100, at most 10,000) and `--after`, an
/// opaque `next` cursor that stays valid while rows are added; nothing is left out and nothing is listed twice.
@Suite("Paged lists through billingctl")
struct ListPagingTests {
    /// `count` daily templates of customer c-1 whose runs Jan 2 … Jan 11 2027 (ten each) are due at the daemon's
    /// start; many templates in one document is the fastest way to many invoices (2,000 share a transaction).
    static func dailyTemplates(_ count: Int) -> String {
        var templates: [String] = []
        templates.reserveCapacity(count)
        for index in 1...count {
            templates.append("""
                {"Header": {"RecordGuid": "t-\(index)", "CustomerGUID": "c-1", "RepeatVery": "Daily",
                 "RunDate": "2027-01-02T09:00:00", "NextRunDate": "2027-01-02T09:00:00", "DueDays": 30,
                 "Currency": "EUR", "TimeZone": "UTC"},
                 "Lines": [{"LineGuid": "l", "Quantity": 1, "UnitPrice": "10.00", "TaxRate": 25}]}
                """)
        }
        return #"{"Customers": [{"CustomerGUID": "c-1", "CompanyName": "Many Templates AB"}], "RecurringInvoices": ["#
            + templates.joined(separator: ",\n") + "]}"
    }

    static func customers(_ range: ClosedRange<Int>) -> String {
        #"{"Customers": ["# + range.map { #"{"CustomerGUID": "c-\#($0)"}"# }.joined(separator: ",\n") + "]}"
    }

    /// Every page of `list` from `after` on (or from the start), with `--limit 10000`.
    static func pages(_ daemon: DaemonProcess, _ list: [String], key: String, after start: String? = nil,
                      limit: Int = 10_000, maxPages: Int = 1_000) throws -> (items: [JSONValue], pages: Int) {
        var items: [JSONValue] = []
        var after = start
        var pages = 0
        repeat {
            var arguments = ["--json"] + list + ["--limit", String(limit)]
            if let after { arguments += ["--after", after] }
            let result = try runProgram(Products.billingctl, ["--socket", daemon.socket] + arguments)
            guard result.exitCode == 0 else { throw TestFailure("\(arguments): \(result.stdout)\(result.stderr)") }
            let answer = try result.json()
            let page = answer[key]?.arrayValue ?? []
            #expect(page.count <= limit)
            items += page
            pages += 1
            guard let next = answer["next"] else { throw TestFailure("\(arguments): the answer has no \"next\"") }
            after = next.stringValue
            if after != nil { #expect(page.count == limit, "a page before the last is full") }
        } while after != nil && pages < maxPages
        return (items, pages)
    }

    /// True when `ids` run strictly downwards: newest first, none twice.
    static func strictlyDescending(_ ids: [Int]) -> Bool {
        zip(ids, ids.dropFirst()).allSatisfy { $0 > $1 }
    }

    @Test func pagingThrough25000InvoicesFindsEveryOneExactlyOnce() throws {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2027-01-11T12:00:00Z"])
        let imported = try daemon.ctl("--json", "import", "-", input: Data(Self.dailyTemplates(2_500).utf8))
        #expect(imported.exitCode == 0, "\(imported.stdout)\(imported.stderr)")
        // The import woke the scheduler; `run` waits for the job lock, so afterwards every due run is invoiced.
        #expect(try daemon.ctl("run").exitCode == 0)
        #expect(try SQLiteShell.scalar(daemon.database, "SELECT count(*) FROM invoices") == "25000")

        let (invoices, pages) = try Self.pages(daemon, ["invoices", "list"], key: "invoices")
        #expect(pages == 3)
        #expect(invoices.count == 25_000)
        let ids = invoices.compactMap { $0["id"]?.intValue }
        #expect(ids.count == 25_000 && Self.strictlyDescending(ids), "each item carries its id; newest first")
        let numbers = Set(try SQLiteShell.rows(daemon.database, "SELECT number FROM invoices").map { $0[0] })
        #expect(Set(invoices.compactMap { $0["number"]?.stringValue }) == numbers)

        // Filters page the same way and list exactly the matching invoices.
        let templateID = try #require(try imported.json()["templates"]?[6]?["id"]?.intValue)
        let ofTemplate = try Self.pages(daemon, ["invoices", "list", "--template", "t-7"], key: "invoices", limit: 4)
        #expect(ofTemplate.items.count == 10 && ofTemplate.pages == 3)
        #expect(ofTemplate.items.allSatisfy { $0["templateId"]?.intValue == templateID })
        #expect(Set(ofTemplate.items.compactMap { $0["id"]?.intValue }).count == 10)
        let ofCustomer = try daemon.ctl("--json", "invoices", "list", "--customer", "c-1", "--limit", "5").json()
        #expect(ofCustomer["invoices"]?.arrayValue?.compactMap { $0["id"]?.intValue } == Array(ids.prefix(5)))
        #expect(ofCustomer["next"]?.stringValue != nil)
        let due = try daemon.ctl("--json", "invoices", "list", "--status", "Due", "--limit", "3").json()
        #expect(due["invoices"]?.arrayValue?.compactMap { $0["status"]?.stringValue } == ["Due", "Due", "Due"])
        let day = try #require(invoices.last?["issueDate"]?.stringValue)
        let ofDay = try Self.pages(daemon, ["invoices", "list", "--from", day, "--to", day], key: "invoices")
        #expect(ofDay.items.compactMap { $0["id"]?.intValue }
                == invoices.filter { $0["issueDate"]?.stringValue == day }.compactMap { $0["id"]?.intValue })
        let later = try daemon.ctl("--json", "invoices", "list", "--from", "2099-01-01").json()
        #expect(later["invoices"]?.arrayValue?.count == 0 && later["next"] == .null)

        // The default page is 100; the table's last line says how to get the next page.
        let first = try daemon.ctl("--json", "invoices", "list").json()
        #expect(first["invoices"]?.arrayValue?.count == 100)
        let next = try #require(first["next"]?.stringValue)
        let table = try daemon.ctl("invoices", "list")
        #expect(table.exitCode == 0)
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.count == 102, "header, 100 rows, the next-page line")
        #expect(lines.last?.contains("--after \(next)") == true, "\(lines.last ?? "")")

        let templates = try Self.pages(daemon, ["templates", "list"], key: "templates", limit: 1_000)
        #expect(templates.pages == 3)
        let templateIDs = templates.items.compactMap { $0["id"]?.intValue }
        #expect(templateIDs.count == 2_500 && Set(templateIDs).count == 2_500 && Self.strictlyDescending(templateIDs))
        #expect(daemon.stop() == 0)
    }

    @Test func pagingThrough150000CustomersFindsEveryOneExactlyOnceWhileMoreAreImported() throws {
        let daemon = try DaemonProcess()
        // 100,000 customers is the most one document may hold; the next 50,000 arrive while the list is paged.
        let first = try daemon.ctl("import", "-", input: Data(Self.customers(1...100_000).utf8))
        #expect(first.exitCode == 0, "\(first.stderr)")
        let page = try daemon.ctl("--json", "customers", "list", "--limit", "10000").json()
        let firstPage = page["customers"]?.arrayValue ?? []
        let cursor = try #require(page["next"]?.stringValue)
        let second = try daemon.ctl("import", "-", input: Data(Self.customers(100_001...150_000).utf8))
        #expect(second.exitCode == 0, "\(second.stderr)")

        // The cursor taken before the second import goes on where it stopped: the rest of the first 100,000,
        // none of the newer ones. Those are the first five pages now.
        let rest = try Self.pages(daemon, ["customers", "list"], key: "customers", after: cursor)
        let newer = try Self.pages(daemon, ["customers", "list"], key: "customers", maxPages: 5)
        #expect(rest.pages == 9 && newer.pages == 5)
        let all = newer.items + firstPage + rest.items
        let guids = all.compactMap { $0["CustomerGUID"]?.stringValue }
        #expect(guids.count == 150_000 && Set(guids) == Set((1...150_000).map { "c-\($0)" }))
        let ids = all.compactMap { $0["id"]?.intValue }
        #expect(ids.count == 150_000 && Self.strictlyDescending(ids), "newest first, each exactly once")
        let table = try daemon.ctl("customers", "list", "--limit", "3")
        #expect(table.stdout.split(separator: "\n").count == 5, "header, 3 rows, the next-page line")
        #expect(daemon.stop() == 0)
    }

    @Test func outboxListPagesAndRefusalsOfListOptionsNameTheirField() throws {
        let daemon = try DaemonProcess(extraArguments: ["--now", "2026-10-20T00:00:00Z"])
        #expect(try daemon.ctl("import", Examples.path("templates.json")).exitCode == 0)
        #expect(try daemon.ctl("run").exitCode == 0)
        let stored = try SQLiteShell.rows(daemon.database, "SELECT id FROM outbox ORDER BY id DESC").map { Int($0[0]) }
        #expect(stored.count >= 4)
        let messages = try Self.pages(daemon, ["outbox", "list"], key: "messages", limit: 1)
        #expect(messages.items.compactMap { $0["id"]?.intValue } == stored)
        #expect(messages.pages == stored.count)

        let refusals: [([String], String, String)] = [
            (["invoices", "list", "--limit", "0"], "INVALID_FIELD", "limit"),
            (["invoices", "list", "--limit", "10001"], "INVALID_FIELD", "limit"),
            (["customers", "list", "--limit", "20000"], "INVALID_FIELD", "limit"),
            (["invoices", "list", "--after", "not-a-cursor"], "INVALID_CURSOR", "after"),
            (["outbox", "list", "--after", "bm90LWEtY3Vyc29y"], "INVALID_CURSOR", "after"),
            (["invoices", "list", "--status", "Late"], "INVALID_FIELD", "status"),
            (["invoices", "list", "--from", "2027-13-01"], "INVALID_DATE", "from"),
            (["invoices", "list", "--to", "yesterday"], "INVALID_DATE", "to"),
            (["invoices", "list", "--customer", "nobody"], "CUSTOMER_NOT_FOUND", "customer"),
            (["invoices", "list", "--template", "no-such-template"], "TEMPLATE_NOT_FOUND", "template"),
        ]
        for (arguments, code, field) in refusals {
            let result = try runProgram(Products.billingctl, ["--socket", daemon.socket, "--json"] + arguments)
            #expect(result.exitCode == 1, "\(arguments)")
            let error = try result.json()["error"]
            #expect(error?["code"]?.stringValue == code, "\(arguments): \(result.stdout)")
            #expect(error?["field"]?.stringValue == field, "\(arguments): \(result.stdout)")
        }
        // A cursor of one list is not a cursor of another.
        let invoiceCursor = try #require(try daemon.ctl("--json", "invoices", "list", "--limit", "1").json()["next"]?.stringValue)
        let crossed = try daemon.ctl("--json", "customers", "list", "--after", invoiceCursor)
        #expect(crossed.exitCode == 1)
        #expect(try crossed.json()["error"]?["field"]?.stringValue == "after")
        #expect(daemon.stop() == 0)
    }
}
