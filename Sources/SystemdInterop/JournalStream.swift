import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Whether stderr is connected to the journal, by the rule of systemd.exec(5): the service manager sets
/// JOURNAL_STREAM to the device and inode ("dev:ino") of the stream it connected. Comparing them with fd 2 (rather
/// than trusting the variable alone) keeps a child whose stderr was redirected from writing to the journal behind
/// the operator's back.
public enum JournalStream {
    public static func stderrIsJournal(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(2, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    /// Native journal entries when stderr is the journal, `<N>`-prefixed lines otherwise.
    public static func bootstrapLogging(identifier: String = "billingd") {
        let native = stderrIsJournal()
        LoggingSystem.bootstrap { label -> any LogHandler in
            native ? JournaldLogHandler(label: label, identifier: identifier) : LevelPrefixLogHandler(label: label)
        }
    }
}
