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

    /// A header value: plain when it is printable ASCII, else RFC 2047 encoded words of UTF-8 (base64), folded.
    static func headerText(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) { return clean }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in clean {
            let bytes = Array(String(character).utf8)
            // 45 bytes of UTF-8 make 60 characters of base64: an encoded word stays under 75 characters.
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// A display name: quoted when it has specials, encoded when it is not ASCII.
    static func displayName(_ name: String) -> String {
        let printable = name.utf8.allSatisfy { $0 >= 32 && $0 < 127 }
        guard printable else { return headerText(name) }
        let specials = CharacterSet(charactersIn: "()<>[]:;@\\,.\"")
        if name.rangeOfCharacter(from: specials) == nil { return name }
        return "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A quoted parameter value (file names); non-ASCII names are RFC 2047 encoded, which every reader accepts.
    static func parameter(_ value: String) -> String {
        let printable = value.utf8.allSatisfy { $0 >= 32 && $0 < 127 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        return "\"" + (printable ? value : headerText(value).replacingOccurrences(of: "\r\n ", with: "")) + "\""
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
