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
        let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text = "<\(priority(level))>\(message)\(fields.isEmpty ? "" : " [\(fields)]")\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
