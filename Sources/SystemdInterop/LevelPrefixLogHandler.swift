import Foundation
import Logging

/// Readable log lines on stderr with the `<N>` syslog level prefix, which journald turns into PRIORITY= when
/// stderr is a journal stream and which stays readable on a terminal.
public struct LevelPrefixLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        if let error = event.error { merged["error"] = "\(error)" }
        Self.write(level: event.level, message: "\(event.message)", metadata: merged)
    }

    static func write(level: Logger.Level, message: String, metadata: Logger.Metadata) {
        FileHandle.standardError.write(Data(line(level: level, message: message, metadata: metadata).utf8))
    }

    /// One line, whatever the message and metadata hold: journald (and any reader of the stream) starts a new
    /// entry, with the priority its `<N>` names, at every newline, so customer text in a message must not contain
    /// one. Line breaks, tabs and other control characters are written as escapes (`\n`, `\r`, `\t`, `\u{1b}`).
    static func line(level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return "<\(priority(level))>\(escaped(message))\(fields.isEmpty ? "" : " [\(escaped(fields))]")\n"
    }

    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where isControl(scalar): out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The set `ContactText.isControl` refuses in contact fields; repeated here because this module does not
    /// depend on the domain module.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
