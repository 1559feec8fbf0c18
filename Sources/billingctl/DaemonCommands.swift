import ArgumentParser
import ControlProtocol
import Foundation

struct Reload: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-read the daemon's configuration file (as SIGHUP and 'systemctl reload billingd' do).",
        discussion: "An invalid file is refused with INVALID_CONFIG and the old configuration stays in force. "
            + "Database and socket paths change only at restart.")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        try options.send("reload", arguments: NoArguments(), answer: ReloadAnswer.self) { _ in "configuration reloaded" }
    }
}

struct Metrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print counters and queue sizes in Prometheus text format.",
        discussion: "With --json the text is the \"text\" member of the answer. A node_exporter textfile collector "
            + "can pick it up: billingctl metrics > /var/lib/node_exporter/billingd.prom")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        // The exposition already ends with a newline; print adds none of its own.
        try options.send("metrics", arguments: NoArguments(), answer: MetricsAnswer.self) { metrics in
            metrics.text.hasSuffix("\n") ? String(metrics.text.dropLast()) : metrics.text
        }
    }
}

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write an online, consistent copy of the SQLite database into a new file (mode 0600).",
        discussion: "The daemon makes the copy with SQLite's backup API while it keeps running, so FILE must be "
            + "writable by billingd's user. An existing FILE is refused (FILE_EXISTS), never overwritten.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The new file (a relative path is taken from the current directory).") var file: String

    func run() throws {
        let path = file.hasPrefix("/") ? file
            : URL(fileURLWithPath: file, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                .standardizedFileURL.path
        try options.send("backup", arguments: BackupArguments(path: path), answer: BackupAnswer.self) { backup in
            "backup written to \(backup.path) (\(backup.bytes) bytes)"
        }
    }
}
