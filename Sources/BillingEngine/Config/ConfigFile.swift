import BillingDomain

/// The configuration file format: a small subset of TOML — `[section]` headers, `key = value` pairs, `#` comments;
/// values are "strings", integers, true/false and one-line arrays of those.
///
/// Kept deliberately small so that `billingd --check-config` can name the exact line of any mistake, and so that
/// the daemon needs no extra package to read it.
public enum ConfigValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case array([ConfigValue])
}

public struct ConfigEntry: Sendable, Equatable {
    public var key: String  // "section.key"
    public var value: ConfigValue
    public var line: Int
}

public enum ConfigFile {
    public static let maxBytes = 1 << 20

    public static func parse(_ text: String, source: String) throws -> [ConfigEntry] {
        guard text.utf8.count <= maxBytes else {
            throw BillingError(.invalidConfig, "\(source) is larger than \(maxBytes) bytes.")
        }
        var section = ""
        var entries: [ConfigEntry] = []
        var seen: Set<String> = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            func fail(_ message: String) -> BillingError {
                BillingError(.invalidConfig, "\(source):\(lineNumber): \(message)")
            }
            var scanner = Scanner(Array(rawLine.utf8))
            scanner.skipSpaces()
            if scanner.atEnd || scanner.peek == UInt8(ascii: "#") { continue }
            if scanner.peek == UInt8(ascii: "[") {
                scanner.index += 1
                let name = scanner.identifier()
                guard !name.isEmpty, scanner.consume(UInt8(ascii: "]")) else { throw fail("expected [section]") }
                scanner.skipSpaces()
                guard scanner.atEndOrComment else { throw fail("unexpected text after [\(name)]") }
                section = name
                continue
            }
            let key = scanner.identifier()
            guard !key.isEmpty else { throw fail("expected key = value") }
            scanner.skipSpaces()
            guard scanner.consume(UInt8(ascii: "=")) else { throw fail("expected '=' after \(key)") }
            scanner.skipSpaces()
            let value: ConfigValue
            do { value = try scanner.value() } catch let message as ConfigSyntax { throw fail(message.text) }
            scanner.skipSpaces()
            guard scanner.atEndOrComment else { throw fail("unexpected text after the value of \(key)") }
            let fullKey = section.isEmpty ? key : "\(section).\(key)"
            guard seen.insert(fullKey).inserted else { throw fail("\(fullKey) is set twice") }
            entries.append(ConfigEntry(key: fullKey, value: value, line: lineNumber))
        }
        return entries
    }
}

private struct ConfigSyntax: Error {
    let text: String
}

private struct Scanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) {
        // Tolerate CRLF files written on other systems.
        self.bytes = bytes.last == 13 ? Array(bytes.dropLast()) : bytes
    }

    var atEnd: Bool { index >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[index] }
    var atEndOrComment: Bool { atEnd || peek == UInt8(ascii: "#") }

    mutating func skipSpaces() {
        while let c = peek, c == 32 || c == 9 { index += 1 }
    }

    mutating func consume(_ c: UInt8) -> Bool {
        guard peek == c else { return false }
        index += 1
        return true
    }

    mutating func identifier() -> String {
        let start = index
        while let c = peek, (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 95 || c == 45 {
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func value() throws -> ConfigValue {
        guard let c = peek else { throw ConfigSyntax(text: "missing value") }
        switch c {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "["):
            index += 1
            var items: [ConfigValue] = []
            skipSpaces()
            if consume(UInt8(ascii: "]")) { return .array(items) }
            while true {
                skipSpaces()
                items.append(try value())
                skipSpaces()
                if consume(UInt8(ascii: "]")) { return .array(items) }
                guard consume(UInt8(ascii: ",")) else { throw ConfigSyntax(text: "expected ',' or ']' in array") }
            }
        default:
            let word = identifier()
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default:
                let digits = word.hasPrefix("-") ? word.dropFirst() : Substring(word)
                if !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let n = Int(word) {
                    return .integer(n)
                }
                throw ConfigSyntax(text: "'\(word)' is not a value (strings need double quotes)")
            }
        }
    }

    mutating func string() throws -> String {
        index += 1
        var out: [UInt8] = []
        while let c = peek {
            index += 1
            switch c {
            case UInt8(ascii: "\""):
                guard let text = String(validating: out, as: UTF8.self) else {
                    throw ConfigSyntax(text: "string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                guard let e = peek else { break }
                index += 1
                switch e {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
                default: throw ConfigSyntax(text: "unknown escape \\\(Character(Unicode.Scalar(e)))")
                }
            default: out.append(c)
            }
        }
        throw ConfigSyntax(text: "string is not closed")
    }
}
