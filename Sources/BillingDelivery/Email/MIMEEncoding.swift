import BillingDomain
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The encodings an e-mail needs: quoted-printable bodies, RFC 2047 headers, RFC 2231-safe parameters, dates.
enum MIMEEncoding {
    /// Quoted-printable (RFC 2045) with CRLF line ends and lines of at most 76 characters. Encoded on one byte
    /// buffer: this runs for the text and HTML part of every e-mail a drain sends.
    static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8 + 16)
        var width = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            // Line ends (LF or CRLF) become CRLF; a soft break never splits an escape.
            if byte == 10 || (byte == 13 && index + 1 < bytes.count && bytes[index + 1] == 10) {
                out.append(13)
                out.append(10)
                width = 0
                index += byte == 13 ? 2 : 1
                continue
            }
            let last = index + 1 == bytes.count || bytes[index + 1] == 10
                || (bytes[index + 1] == 13 && index + 2 < bytes.count && bytes[index + 2] == 10)
            // A line starting with "." survives every relay when it is encoded.
            let literal = ((byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !last))
                && !(width == 0 && byte == UInt8(ascii: "."))
            let pieceWidth = literal ? 1 : 3
            if width + pieceWidth > 75 {
                out.append(UInt8(ascii: "="))
                out.append(13)
                out.append(10)
                width = 0
            }
            if literal {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "="))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            }
            width += pieceWidth
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The words of an unstructured header value (Subject): its own words when it is printable ASCII, else RFC
    /// 2047 encoded words of UTF-8 (base64). `HeaderField.folded` puts them on lines. Control characters become
    /// spaces: nothing in a value may start a header line of its own.
    static func headerWords(_ text: String, firstRoom: Int) -> [String] {
        let clean = withoutControls(text)
        let words = clean.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        // A word that cannot fit on a line, or an ASCII text a reader would take for an encoded word, is encoded.
        if clean.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }), !clean.contains("=?"),
           words.allSatisfy({ $0.utf8.count <= HeaderField.softLimit - 1 }) {
            return words
        }
        return encodedWords(clean, firstRoom: firstRoom)
    }

    /// A display name, always quoted or encoded, so that no character in it (`,` `;` `:` `<` `@` `"` …) is read
    /// as address syntax: a short printable ASCII name as a quoted string, anything else as encoded words. Nil
    /// when nothing printable is left.
    static func displayNameWords(_ name: String, firstRoom: Int) -> [String]? {
        let clean = withoutControls(name).trimmingCharacters(in: .whitespaces)
        guard !clean.isEmpty else { return nil }
        if clean.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }), !clean.contains("=?") {
            let quoted = "\"" + clean.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"") + "\""
            if quoted.utf8.count <= firstRoom { return [quoted] }
        }
        return encodedWords(clean, firstRoom: firstRoom)
    }

    /// RFC 2047 encoded words (UTF-8, base64) of at most 75 characters, the first fitting in `firstRoom`. Words
    /// end between characters; a single character longer than a word (a letter under hundreds of combining marks)
    /// is split between its Unicode scalars, so every word still decodes to whole UTF-8 sequences.
    static func encodedWords(_ text: String, firstRoom: Int = 75) -> [String] {
        // "=?UTF-8?B?" and "?=" take 12 characters, and base64 writes 4 characters for every 3 bytes.
        func capacity(_ room: Int) -> Int { max(3, (min(room, 75) - 12) / 4 * 3) }
        var words: [String] = []
        var chunk: [UInt8] = []
        var limit = capacity(firstRoom)
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
            chunk = []
            limit = capacity(HeaderField.softLimit - 1)
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > limit { flush() }
            if bytes.count <= limit {
                chunk += bytes
                continue
            }
            for scalar in character.unicodeScalars {
                let scalarBytes = Array(String(scalar).utf8)
                if chunk.count + scalarBytes.count > limit { flush() }
                chunk += scalarBytes
            }
        }
        flush()
        return words
    }

    /// `text` with every control character (CR, LF, tab, DEL, C1, line and paragraph separators) as a space.
    static func withoutControls(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { ContactText.isControl($0) ? " " : $0 }))
    }

    /// A quoted parameter value (file names); non-ASCII names are RFC 2047 encoded, which every reader accepts.
    static func parameter(_ value: String) -> String {
        let printable = value.utf8.allSatisfy { $0 >= 32 && $0 < 127 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        return "\"" + (printable ? value : encodedWords(withoutControls(value)).joined()) + "\""
    }

    /// An RFC 5322 date in UTC: `Tue, 02 Feb 2027 09:00:00 +0000`. Written by hand from `gmtime_r`: a
    /// DateFormatter per message cost more than the rest of the headers together.
    static func date(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][Int(parts.tm_wday)]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Int(parts.tm_mon)]
        return "\(day), \(two(parts.tm_mday)) \(month) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }
}
