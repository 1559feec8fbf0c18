/// Header fields as RFC 5322 lines.
///
/// A value is a list of words (atoms, quoted strings, encoded words, `<address>`) that are put on a line after
/// `Name:` separated by single spaces; where the next word would take the line past 78 characters, the space
/// becomes CRLF + space (folding), which every reader turns back into that space. Words are at most 77
/// characters but for an address, so no line comes near the hard limit of 998 that strict relays enforce.
enum HeaderField {
    static let softLimit = 78

    static func folded(_ name: String, _ words: [String]) -> String {
        var out = name + ":"
        var width = out.utf8.count
        var wordsOnLine = 0
        for word in words {
            let length = word.utf8.count
            if wordsOnLine > 0, width + 1 + length > softLimit {
                out += "\r\n "
                width = 1
                wordsOnLine = 0
            } else {
                out += " "
                width += 1
            }
            out += word
            width += length
            wordsOnLine += 1
        }
        return out
    }

    /// The room the first word has on the line of `name`: after `Name:` and a space.
    static func firstRoom(_ name: String) -> Int { softLimit - name.utf8.count - 2 }
}
