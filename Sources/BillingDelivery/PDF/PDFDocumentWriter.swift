/// The PDF 1.4 file structure: numbered objects, a cross-reference table with exact byte offsets, a trailer.
///
/// Streams are left uncompressed: an invoice page is a few kilobytes of text operators, and plain streams keep the
/// file readable with `less` and checkable with `qpdf --check`.
struct PDFDocumentWriter {
    private var objects: [String?] = []

    /// Reserves an object number, for objects that refer to each other (pages and their parent).
    mutating func reserve() -> Int {
        objects.append(nil)
        return objects.count
    }

    mutating func set(_ number: Int, _ body: String) {
        objects[number - 1] = body
    }

    mutating func add(_ body: String) -> Int {
        objects.append(body)
        return objects.count
    }

    /// A stream object holding `content` (7-bit text).
    mutating func addStream(_ content: String) -> Int {
        add("<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream")
    }

    func bytes(root: Int, info: Int) -> [UInt8] {
        // The comment of four high bytes tells transfer tools the file is binary (PDF 1.4, 7.5.2).
        var out: [UInt8] = Array("%PDF-1.4\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3] + [10]
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(out.count)
            out += Array("\(index + 1) 0 obj\n\(body ?? "null")\nendobj\n".utf8)
        }
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            let digits = String(offset)
            table += String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n"
        }
        table += "trailer\n<< /Size \(objects.count + 1) /Root \(root) 0 R /Info \(info) 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return out + Array(table.utf8)
    }
}

/// The drawing operators of one page.
struct PDFPage {
    private(set) var operators: [String] = []

    private static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    mutating func text(_ text: String, x: Double, y: Double, font: WinAnsiText.Font = .regular, size: Double = 9) {
        guard !text.isEmpty else { return }
        let name = font == .regular ? "/F1" : "/F2"
        operators.append("BT \(name) \(Self.number(size)) Tf \(Self.number(x)) \(Self.number(y)) Td \(WinAnsiText.literal(text)) Tj ET")
    }

    /// Text whose right edge is at `right`: amounts line up on their last digit.
    mutating func textRight(_ text: String, right: Double, y: Double, font: WinAnsiText.Font = .regular, size: Double = 9) {
        self.text(text, x: right - WinAnsiText.width(text, font: font, size: size), y: y, font: font, size: size)
    }

    mutating func line(from x1: Double, _ y1: Double, to x2: Double, _ y2: Double, width: Double = 0.5) {
        operators.append("\(Self.number(width)) w \(Self.number(x1)) \(Self.number(y1)) m \(Self.number(x2)) \(Self.number(y2)) l S")
    }

    mutating func box(x: Double, y: Double, width: Double, height: Double) {
        operators.append("0.5 w \(Self.number(x)) \(Self.number(y)) \(Self.number(width)) \(Self.number(height)) re S")
    }

    var content: String { operators.joined(separator: "\n") }
}
