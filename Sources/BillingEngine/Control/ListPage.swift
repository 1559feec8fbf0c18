import BillingDomain
import ControlProtocol
import Foundation

/// One page of a list (DESIGN.md §4): newest first by id, `limit` rows (default 100, at most 10,000), after the
/// cursor the previous page handed out, and `next` for the page after it (null on the last page).
///
/// The cursor is the last id listed, named with its list and base64url-encoded: opaque to scripts, and valid
/// while rows are added, since a page asks for ids below it and new rows only get higher ids.
struct ListPage {
    static let defaultLimit = 100
    static let maxLimit = 10_000

    let list: String
    let limit: Int
    /// Rows below this id; nil on the first page.
    let before: Int64?

    init(_ list: String, limit field: JSONValue?, after: String?) throws {
        self.list = list
        if let field, !field.isNull {
            guard let limit = field.intValue ?? field.stringValue.flatMap({ Int($0) }),
                  (1...Self.maxLimit).contains(limit) else {
                throw BillingError(
                    .invalidField, "--limit must be a whole number from 1 to \(Self.maxLimit) (default \(Self.defaultLimit)).",
                    field: "limit")
            }
            self.limit = limit
        } else {
            limit = Self.defaultLimit
        }
        before = try after.map { try Self.decode($0, list: list) }
    }

    /// What the store is asked for: one row more than the page, so the answer knows whether another page follows.
    var fetch: Int { limit + 1 }

    /// The page's items and the cursor of the next page (nil on the last), from the rows the store gave for `fetch`.
    func items<Row, Item>(_ rows: [Row], id: (Row) -> Int64, item: (Row) throws -> Item) rethrows
        -> (items: [Item], next: String?)
    {
        let page = rows.prefix(limit)
        let next = rows.count > limit ? page.last.map { Self.encode(id($0), list: list) } : nil
        return (try page.map(item), next)
    }

    static func encode(_ id: Int64, list: String) -> String {
        Data("\(list):\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String, list: String) throws -> Int64 {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard cursor.count <= 64, let data = Data(base64Encoded: base64),
              let text = String(data: data, encoding: .utf8), text.hasPrefix(list + ":"),
              let id = Int64(text.dropFirst(list.count + 1)), id > 0 else {
            throw BillingError(
                .invalidCursor,
                "'\(cursor.prefix(64))' is not a cursor of '\(list) list'; use the \"next\" of the page before (no --after for the first page).",
                field: "after")
        }
        return id
    }
}
