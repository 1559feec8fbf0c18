import BillingTestKit
import Foundation

/// A self-signed certificate for `localhost` (its own CA), for TLS servers the tests start; removed when freed.
final class LocalhostCertificate {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
    var cert: String { folder.appendingPathComponent("cert.pem").path }
    var key: String { folder.appendingPathComponent("key.pem").path }

    init() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let made = try runProgram("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"])
        guard made.exitCode == 0 else { throw TestFailure("openssl req: \(made.stderr)") }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
}
