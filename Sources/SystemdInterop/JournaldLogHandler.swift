import CSystemd
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Native journal entries through sd_journal_sendv(3), used when stderr is the journal (see `JournalStream`).
///
/// Each entry carries MESSAGE, PRIORITY, SYSLOG_IDENTIFIER and CODE_FILE/CODE_LINE/CODE_FUNC, and every metadata
/// key as a field of its own (`invoice_number` → INVOICE_NUMBER, `message_id` → MESSAGE_ID), so that operators can
/// match on them: `journalctl -u billingd INVOICE_NUMBER=INV-2027-000001`. sd_journal_sendv frames each field by
/// length, so values may contain newlines.
public struct JournaldLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public let identifier: String

    /// Fields this handler sets itself; metadata must not shadow them with a second value.
    static let ownFields: Set<String> = [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC", "ERROR",
    ]

    public init(label: String, identifier: String = "billingd") {
        self.identifier = identifier
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let fields = entry(event)
        if Self.send(fields) < 0 {
            // journald is gone (ECONNREFUSED on a stale socket) but stderr may still be its stream or a terminal:
            // a readable line there is better than losing the entry.
            LevelPrefixLogHandler.write(level: event.level, message: "\(event.message)", metadata: mergedMetadata(event))
        }
    }

    /// The "FIELD=value" strings of one entry, in a stable order.
    func entry(_ event: LogEvent) -> [String] {
        var fields = [
            "MESSAGE=\(event.message)",
            "PRIORITY=\(LevelPrefixLogHandler.priority(event.level))",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "CODE_FILE=\(event.file)",
            "CODE_LINE=\(event.line)",
            "CODE_FUNC=\(event.function)",
        ]
        if let error = event.error { fields.append("ERROR=\(error)") }
        for (key, value) in mergedMetadata(event).sorted(by: { $0.key < $1.key }) {
            guard let name = Self.fieldName(key), !Self.ownFields.contains(name) else { continue }
            fields.append("\(name)=\(value)")
        }
        return fields
    }

    private func mergedMetadata(_ event: LogEvent) -> Logger.Metadata {
        var merged = metadata
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        return merged
    }

    /// A metadata key as a journal field name: journald accepts only A–Z, 0–9 and `_`, at most 64 characters, not
    /// starting with a digit, and a leading `_` marks fields only journald itself may set. Nil when nothing is left.
    public static func fieldName(_ key: String) -> String? {
        var name = String(key.uppercased().unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "A"..."Z", "0"..."9": return Character(scalar)
            default: return "_"
            }
        })
        while let first = name.first, first == "_" || first.isNumber { name.removeFirst() }
        name = String(name.prefix(64))
        return name.isEmpty ? nil : name
    }

    /// Hands the fields to journald in one datagram; returns sd_journal_sendv's result (negative errno on failure).
    @discardableResult
    static func send(_ fields: [String]) -> Int32 {
        let encoded = fields.map { Array($0.utf8) }
        let total = encoded.reduce(0) { $0 + $1.count }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(total, 1), alignment: 1)
        defer { storage.deallocate() }
        var vectors: [iovec] = []
        vectors.reserveCapacity(encoded.count)
        var offset = 0
        for bytes in encoded {
            UnsafeMutableRawBufferPointer(rebasing: storage[offset..<(offset + bytes.count)]).copyBytes(from: bytes)
            vectors.append(iovec(iov_base: storage.baseAddress! + offset, iov_len: bytes.count))
            offset += bytes.count
        }
        return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
    }
}
