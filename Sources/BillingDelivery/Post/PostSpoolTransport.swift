import BillingDomain
import Foundation

/// Channel `post`: the invoice PDF goes into the print spool folder, where the print service picks it up.
/// The file is named after the outbox row, so a resend replaces it instead of printing a second letter.
public struct PostSpoolTransport: Sendable {
    public let folder: SpoolFolder

    public init(directory: String) { folder = SpoolFolder(path: directory) }

    public func send(_ document: PostDocument) throws -> String {
        do {
            try folder.write(name: document.fileName, contents: Data(document.pdf))
        } catch let error as BillingError {
            throw DeliveryFailure.transient(.spoolWriteFailed, error.message)
        }
        return document.fileName
    }
}
