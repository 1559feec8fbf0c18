/// How invoice numbers are spelled, e.g. `INV-{year}-{seq:6}` → `INV-2027-000042`.
///
/// Everything but the sequence names the series: `INV-2027-` and `INV-2028-` count separately, each gapless
/// from 1, as most VAT regimes require of a numbering series.
public struct InvoiceNumberFormat: Sendable, Hashable {
    enum Part: Sendable, Hashable {
        case literal(String)
        case year
        case month
        case sequence(width: Int)
    }

    let parts: [Part]
    public let text: String

    public init(_ text: String) throws {
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(text)
        func invalid(_ why: String) -> BillingError {
            BillingError(.invalidConfig, "Invoice number format '\(text)' \(why).")
        }
        while let c = rest.first {
            if c == "{" {
                guard let close = rest.firstIndex(of: "}") else { throw invalid("has an unclosed {") }
                let token = rest[rest.index(after: rest.startIndex)..<close]
                if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                switch token {
                case "year": parts.append(.year)
                case "month": parts.append(.month)
                case "seq": parts.append(.sequence(width: 1))
                default:
                    guard token.hasPrefix("seq:"), let width = Int(token.dropFirst(4)), (1...12).contains(width) else {
                        throw invalid("has an unknown field {\(token)}; use {year}, {month}, {seq} or {seq:N}")
                    }
                    parts.append(.sequence(width: width))
                }
                rest = rest[rest.index(after: close)...]
            } else {
                guard c.isASCII, c.isLetter || c.isNumber || "-_/.".contains(c) else {
                    throw invalid("may hold only letters, digits, '-', '_', '/', '.' and fields")
                }
                literal.append(c)
                rest = rest.dropFirst()
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        let sequences = parts.filter { if case .sequence = $0 { return true } else { return false } }
        guard sequences.count == 1 else { throw invalid("needs exactly one {seq} field") }
        self.parts = parts
        self.text = text
    }

    /// The series an invoice issued on `issueDate` belongs to.
    public func series(for issueDate: LocalDate) -> String {
        render(issueDate) { _ in "#" }
    }

    public func number(for issueDate: LocalDate, sequence: Int64) -> String {
        render(issueDate) { width in
            let digits = String(sequence)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
    }

    private func render(_ date: LocalDate, sequence: (Int) -> String) -> String {
        parts.map { part in
            switch part {
            case .literal(let s): return s
            case .year: return String(date.year)
            case .month: return date.month < 10 ? "0\(date.month)" : String(date.month)
            case .sequence(let width): return sequence(width)
            }
        }.joined()
    }
}
