import BillingDomain
import Foundation

/// The embedded default: each e-mail becomes `<idempotency key>.eml` in a folder, RFC 5322 text that any mail
/// client opens. Writing the same message again replaces the file, so a resend cannot duplicate it.
public struct SpoolEmailTransport: EmailTransport {
    public let folder: SpoolFolder

    public init(directory: String) { folder = SpoolFolder(path: directory) }

    public func send(_ message: EmailMessage) throws -> String {
        let name = SpoolFolder.fileName(message.idempotencyKey, extension: "eml")
        do {
            try folder.write(name: name, contents: Data(message.rfc5322()))
        } catch let error as BillingError {
            throw DeliveryFailure.transient(.spoolWriteFailed, error.message)
        }
        return name
    }
}
