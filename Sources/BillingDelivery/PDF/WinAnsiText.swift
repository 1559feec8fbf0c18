/// Text for PDF's standard fonts: WinAnsiEncoding (Windows-1252) bytes and Helvetica's glyph widths.
///
/// The 14 standard fonts need no embedding, which keeps an invoice a few kilobytes; WinAnsiEncoding covers the
/// Nordic and western European letters (åäöÅÄÖøØæÆé…) and the euro sign. Anything outside it prints as "?".
enum WinAnsiText {
    enum Font: Sendable { case regular, bold }

    /// Windows-1252 bytes 0x80–0x9F, where it differs from Latin-1.
    private static let extra: [Unicode.Scalar: UInt8] = [
        "€": 0x80, "‚": 0x82, "ƒ": 0x83, "„": 0x84, "…": 0x85, "†": 0x86, "‡": 0x87, "ˆ": 0x88, "‰": 0x89,
        "Š": 0x8A, "‹": 0x8B, "Œ": 0x8C, "Ž": 0x8E, "‘": 0x91, "’": 0x92, "“": 0x93, "”": 0x94, "•": 0x95,
        "–": 0x96, "—": 0x97, "˜": 0x98, "™": 0x99, "š": 0x9A, "›": 0x9B, "œ": 0x9C, "ž": 0x9E, "Ÿ": 0x9F,
    ]

    static func bytes(_ text: String) -> [UInt8] {
        text.unicodeScalars.map(byte)
    }

    private static func byte(_ scalar: Unicode.Scalar) -> UInt8 {
        switch scalar.value {
        case 0x20...0x7E, 0xA0...0xFF: return UInt8(scalar.value)
        case 0x09: return 0x20
        default: return extra[scalar] ?? UInt8(ascii: "?")
        }
    }

    /// A PDF literal string: parentheses and backslashes escaped, bytes outside printable ASCII as octal, so the
    /// file stays 7-bit text apart from its binary marker comment.
    static func literal(_ text: String) -> String {
        var out = "("
        for byte in bytes(text) {
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"):
                out += "\\" + String(UnicodeScalar(byte))
            case 0x20...0x7E:
                out.append(Character(UnicodeScalar(byte)))
            default:
                let octal = String(byte, radix: 8)
                out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return out + ")"
    }

    // Helvetica and Helvetica-Bold advance widths (1/1000 em) for 0x20–0x7E, from Adobe's AFM files.
    private static let regular: [Int] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    ]
    private static let bold: [Int] = [
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
        975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
        333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
        611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    ]

    /// Accented letters are as wide as their base letter in Helvetica; the few that are not are listed.
    private static let latinBase: [UInt8: UInt8] = {
        var map: [UInt8: UInt8] = [:]
        for (range, base) in [(0xC0...0xC5, "A"), (0xC8...0xCB, "E"), (0xCC...0xCF, "I"), (0xD2...0xD6, "O"),
                              (0xD9...0xDC, "U"), (0xE0...0xE5, "a"), (0xE8...0xEB, "e"), (0xEC...0xEF, "i"),
                              (0xF2...0xF6, "o"), (0xF9...0xFC, "u")] as [(ClosedRange<Int>, Character)] {
            for code in range { map[UInt8(code)] = base.asciiValue! }
        }
        for (code, base) in [(0xC7, "C"), (0xD1, "N"), (0xDD, "Y"), (0xE7, "c"), (0xF1, "n"), (0xFD, "y"),
                             (0xFF, "y"), (0xD8, "O"), (0x8A, "S"), (0x9A, "s")] as [(Int, Character)] {
            map[UInt8(code)] = base.asciiValue!
        }
        return map
    }()

    private static func width(_ byte: UInt8, _ font: Font) -> Int {
        let table = font == .regular ? regular : bold
        if (0x20...0x7E).contains(byte) { return table[Int(byte) - 0x20] }
        if let base = latinBase[byte] { return table[Int(base) - 0x20] }
        switch byte {
        case 0xC6: return 1000  // Æ
        case 0xE6: return font == .regular ? 889 : 889  // æ
        case 0xF8: return 611  // ø
        case 0xDF: return 611  // ß
        case 0x80: return 556  // €
        case 0x85: return 1000  // …
        default: return 556
        }
    }

    /// The width of `text` in points at `size`.
    static func width(_ text: String, font: Font, size: Double) -> Double {
        Double(bytes(text).reduce(0) { $0 + width($1, font) }) * size / 1000
    }

    /// `maxWidth` points at `size` in glyph units (1/1000 em): a text fits when its units are at most this.
    private static func units(_ maxWidth: Double, size: Double) -> Int {
        Int((maxWidth * 1000 / size).rounded(.down))
    }

    /// `text` cut to fit `maxWidth`, ending in "…" when it was cut.
    ///
    /// One pass over the text, each glyph measured once: an invoice of a thousand lines of a thousand characters
    /// is laid out in time proportional to its length.
    static func fitted(_ text: String, font: Font, size: Double, maxWidth: Double) -> String {
        let limit = units(maxWidth, size: size)
        let ellipsis = width(0x85, font)
        let scalars = text.unicodeScalars
        var used = 0
        // The end of the longest prefix that still fits with the ellipsis after it.
        var cut = scalars.startIndex
        var index = scalars.startIndex
        while index < scalars.endIndex {
            used += width(byte(scalars[index]), font)
            if used > limit { return String(Substring(scalars[..<cut])) + "…" }
            scalars.formIndex(after: &index)
            if used + ellipsis <= limit { cut = index }
        }
        return text
    }

    /// `text` broken into lines no wider than `maxWidth`: at spaces, at its own line breaks, and inside a word
    /// only when the word alone is wider than a line. Each glyph is measured once.
    static func wrapped(_ text: String, font: Font, size: Double, maxWidth: Double) -> [String] {
        let limit = units(maxWidth, size: size)
        let space = width(0x20, font)
        var lines: [String] = []
        for paragraph in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = ""
            var lineUnits = 0
            for word in paragraph.split(separator: " ") {
                var rest = word.unicodeScalars
                var restUnits = rest.reduce(0) { $0 + width(byte($1), font) }
                while restUnits > limit {
                    // A word wider than a line: as much of it as fits on a line of its own.
                    if !line.isEmpty { lines.append(line); line = ""; lineUnits = 0 }
                    var end = rest.startIndex
                    var headUnits = 0
                    while end < rest.endIndex {
                        let glyph = width(byte(rest[end]), font)
                        if headUnits + glyph > limit, end > rest.startIndex { break }
                        headUnits += glyph
                        rest.formIndex(after: &end)
                    }
                    lines.append(String(Substring(rest[..<end])))
                    rest = rest[end...]
                    restUnits -= headUnits
                }
                guard !rest.isEmpty else { continue }
                if line.isEmpty {
                    line = String(Substring(rest))
                    lineUnits = restUnits
                } else if lineUnits + space + restUnits <= limit {
                    line += " " + String(Substring(rest))
                    lineUnits += space + restUnits
                } else {
                    lines.append(line)
                    line = String(Substring(rest))
                    lineUnits = restUnits
                }
            }
            lines.append(line)
        }
        return lines
    }
}
