import ControlProtocol
import Foundation

/// Plain aligned columns for terminals.
enum Table {
    static func render(headers: [String], rows: [[String]]) -> String {
        var widths = headers.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }

    /// `NAME  value` for each field of a decoded answer, in the wire's names and order.
    static func fields<Value: Encodable>(of value: Value, width: Int) -> [String] {
        let members = (try? JSONValueEncoder().encode(value))?.members ?? []
        return members.map { "\($0.key.padding(toLength: width, withPad: " ", startingAt: 0)) \(text($0.value))" }
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return "-"
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: return value.serialized()
        }
    }
}
