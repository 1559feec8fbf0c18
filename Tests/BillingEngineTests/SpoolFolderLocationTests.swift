import BillingEngine
import Foundation
import Testing

/// DESIGN §4: spool folders not configured explicitly are `spool/email`, `spool/sms`, `spool/post` beside the
/// SQLite database file, so `--database` (or `database.path`) moves them with it.
@Suite("Spool folder location")
struct SpoolFolderLocationTests {
    /// Root without $STATE_DIRECTORY: the embedded default's state folder is /var/lib/billingd.
    private let rootEnvironment = ["HOME": "/root"]

    @Test func spoolFoldersFollowTheDatabaseOptionWithoutAConfigurationFile() {
        var configuration = Configuration.embeddedDefault(environment: rootEnvironment)
        configuration.databasePath = "/srv/billing/db.sqlite"   // what `billingd --database` does
        #expect(configuration.emailSpoolDirectory == "/srv/billing/spool/email")
        #expect(configuration.smsSpoolDirectory == "/srv/billing/spool/sms")
        #expect(configuration.postSpoolDirectory == "/srv/billing/spool/post")
    }

    @Test func spoolFoldersFollowTheConfiguredDatabasePathUnlessSetExplicitly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("billingd.conf").path
        try """
            [database]
            path = "data/billing.sqlite"
            [sms]
            spool_directory = "/var/spool/billingd-sms"
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let configuration = try Configuration.load(path: file, environment: rootEnvironment)
        let data = folder.appendingPathComponent("data").standardizedFileURL.path
        #expect(configuration.databasePath == data + "/billing.sqlite")
        #expect(configuration.emailSpoolDirectory == data + "/spool/email")
        #expect(configuration.postSpoolDirectory == data + "/spool/post")
        #expect(configuration.smsSpoolDirectory == "/var/spool/billingd-sms", "an explicit folder stays where it is set")

        var moved = configuration
        moved.databasePath = "/srv/other/db.sqlite"
        #expect(moved.emailSpoolDirectory == "/srv/other/spool/email", "--database over a file moves the spool too")
        #expect(moved.smsSpoolDirectory == "/var/spool/billingd-sms")
    }
}
