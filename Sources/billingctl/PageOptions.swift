import ArgumentParser
import ControlProtocol
import Foundation

/// `--limit` and `--after`, which every list takes (DESIGN.md §4): newest first, one page at a time.
struct PageOptions: ParsableArguments {
    @Option(help: "Rows per page, 1–10000 (default 100).") var limit: Int?
    @Option(help: "Start after this cursor: the 'next' of the page before (the table's last line shows it).")
    var after: String?

    var arguments: PageArguments { PageArguments(limit: limit.map { JSONValue($0) }, after: after) }

    /// A list's table, ended by the command that shows the next page when there is one.
    static func table(next: String?, headers: [String], rows: [[String]]) -> String {
        let table = Table.render(headers: headers, rows: rows)
        guard let next else { return table }
        return table + "\nnext page: " + nextPageCommand(after: next)
    }

    /// This very command line with `--after` set to `cursor`: the user can run it as printed.
    static func nextPageCommand(after cursor: String) -> String {
        var words: [String] = []
        var arguments = CommandLine.arguments.dropFirst()[...]
        while let word = arguments.popFirst() {
            if word == "--after" { _ = arguments.popFirst(); continue }
            if word.hasPrefix("--after=") { continue }
            words.append(word)
        }
        return (["billingctl"] + words + ["--after", cursor]).map(shellQuoted).joined(separator: " ")
    }

    static func shellQuoted(_ word: String) -> String {
        let plain = word.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-_./:=@,+%".unicodeScalars.contains($0)
        }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
