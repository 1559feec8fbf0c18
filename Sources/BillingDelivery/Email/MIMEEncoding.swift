import Foundation

/// The encodings an e-mail needs: quoted-printable bodies, RFC 2047 headers, RFC 2231-safe parameters, dates.
enum MIMEEncoding {
    /// Quoted-printable (RFC 2045) with CRLF line ends and lines of at most 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var lines: [String] = []
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            var out: [UInt8] = []
            var width = 0
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let last = index == bytes.count - 1
                var piece: [UInt8]
                if (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !last) {
                    piece = [byte]
                } else {
                    piece = [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
                }
                // A line starting with "." or "From " survives every relay when it is encoded.
                if width == 0, byte == UInt8(ascii: ".") { piece = Array("=2E".utf8) }
                if width + piece.count > 75 {
                    out += Array("=\r\n".utf8)
                    width = 0
                }
                out += piece
                width += piece.count
            }
            lines.append(String(decoding: out, as: UTF8.self))
        }
        return lines.joined(separator: "\r\n")
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

    /// An RFC 5322 date in UTC: `Tue, 02 Feb 2027 09:00:00 +0000`.
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
