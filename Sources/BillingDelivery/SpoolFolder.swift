import BillingDomain
import Foundation

/// A folder that messages are dropped into (the embedded default for e-mail, SMS and post).
///
/// Each file appears whole or not at all: it is written under a hidden temporary name, flushed, and renamed, so a
/// reader polling the folder (a print server, a test) never sees half a message, and a crash leaves only a
/// temporary file that is overwritten on the retry.
public struct SpoolFolder: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// A file name for an idempotency key: anything but letters, digits, '-', '_' and '.' becomes '-'.
    public static func fileName(_ key: String, extension ext: String) -> String {
        let safe = String(key.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "-" })
        return (safe.hasPrefix(".") ? "_" + safe.dropFirst() : Substring(safe)) + "." + ext
    }

    /// Writes `contents` as `name` (a file name without folders) and returns the full path.
    @discardableResult
    public func write(name: String, contents: Data) throws -> String {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw BillingError(.invalidField, "Spool file name '\(name)' is not a plain file name.")
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let final = URL(fileURLWithPath: path).appendingPathComponent(name)
            let temporary = URL(fileURLWithPath: path).appendingPathComponent(".\(name).tmp")
            try contents.write(to: temporary)
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, final.path) != 0 {
                throw BillingError(.storageError, "Cannot rename \(temporary.path): errno \(errno).")
            }
            return final.path
        } catch let error as BillingError {
            throw error
        } catch {
            throw BillingError(.storageError, "Cannot write \(name) into the spool folder \(path): \(error.localizedDescription)")
        }
    }
}
