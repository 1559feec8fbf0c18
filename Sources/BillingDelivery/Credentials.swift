import BillingDomain
import Foundation

/// Secrets (SMTP password, SMS token) come from systemd credentials or a file, never from the configuration file,
/// which is world-readable more often than anyone intends.
public enum Credentials {
    /// Reads `name`: an absolute path is read as a file; anything else is looked up in `$CREDENTIALS_DIRECTORY`
    /// (systemd's LoadCredential=). A trailing newline, as editors leave one, is not part of the secret.
    public static func read(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> String {
        let path: String
        if name.hasPrefix("/") {
            path = name
        } else if let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty {
            path = directory + "/" + name
        } else {
            throw DeliveryFailure.transient(
                .credentialMissing,
                "The credential '\(name)' is needed but $CREDENTIALS_DIRECTORY is not set (use LoadCredential= or an absolute file path).")
        }
        guard let data = FileManager.default.contents(atPath: path), var secret = String(data: data, encoding: .utf8) else {
            throw DeliveryFailure.transient(.credentialMissing, "The credential file \(path) cannot be read.")
        }
        while secret.hasSuffix("\n") || secret.hasSuffix("\r") { secret.removeLast() }
        return secret
    }
}
