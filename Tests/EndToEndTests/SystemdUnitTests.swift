import BillingTestKit
import Foundation
import Testing

/// deploy/billingd.service and billingd.socket, checked by systemd's own tools.
@Suite("systemd units")
struct SystemdUnitTests {
    static let deploy = Examples.root.appendingPathComponent("deploy")
    static let analyze = "/usr/bin/systemd-analyze"

    /// `verify` insists that ExecStart names an executable, so the service is checked as a copy whose ExecStart
    /// points at the billingd just built; everything else is the file as shipped.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: analyze), "systemd-analyze is not installed"))
    func unitsPassSystemdAnalyzeVerify() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let service = try String(contentsOf: Self.deploy.appendingPathComponent("billingd.service"), encoding: .utf8)
        let execStart = try #require(service.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        let command = execStart.dropFirst("ExecStart=".count).split(separator: " ", maxSplits: 1)
        let rewritten = service.replacingOccurrences(
            of: String(execStart), with: "ExecStart=\(Products.billingd) \(command.dropFirst().first ?? "")")
        try rewritten.write(to: folder.appendingPathComponent("billingd.service"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: Self.deploy.appendingPathComponent("billingd.socket"),
                                         to: folder.appendingPathComponent("billingd.socket"))

        let result = try runProgram(Self.analyze, [
            "verify", "--man=no", folder.appendingPathComponent("billingd.socket").path,
            folder.appendingPathComponent("billingd.service").path,
        ])
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.isEmpty, "systemd-analyze verify complained: \(result.stderr)")
    }

    /// Every MESSAGE_ID the engine defines has a catalog entry, and journalctl indexes the file (checked in a
    /// scratch root, so the machine's own catalog database is left alone).
    @Test func catalogExplainsEveryMessageIDAndJournalctlIndexesIt() throws {
        let source = try String(contentsOf: Examples.root.appendingPathComponent(
            "Sources/BillingEngine/Jobs/JournalMessageID.swift"), encoding: .utf8)
        let ids = source.matches(of: /static let \w+ = "([0-9a-f]{32})"/).map { String($0.1) }
        #expect(ids.count == 8, "\(ids)")

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("usr/lib/systemd/catalog")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("var/lib/systemd/catalog"),
                                                withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.copyItem(at: Self.deploy.appendingPathComponent("billingd.catalog"),
                                         to: folder.appendingPathComponent("billingd.catalog"))
        let update = try runProgram("/usr/bin/journalctl", ["--root=\(root.path)", "--update-catalog"])
        #expect(update.exitCode == 0, "\(update.stderr)")
        let listed = try runProgram("/usr/bin/journalctl", ["--root=\(root.path)", "--list-catalog"]).stdout
        for id in ids {
            #expect(listed.contains("\(id) billingd: "), "no catalog entry for \(id): \(listed)")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: analyze), "systemd-analyze is not installed"))
    func serviceSandboxRatesTwoOrBetter() throws {
        let result = try runProgram(Self.analyze, [
            "security", "--offline=true", "--threshold=20", Self.deploy.appendingPathComponent("billingd.service").path,
        ])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let summary = try #require(result.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") },
                                   "\(result.stdout)")
        // "→ Overall exposure level for billingd.service: 1.2 OK 🙂"
        let figure = summary.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }
        let exposure = try #require(figure, "no figure in \(summary)")
        #expect(exposure <= 2.0, "\(summary)")
        #expect(summary.contains("OK"), "\(summary)")
    }
}
