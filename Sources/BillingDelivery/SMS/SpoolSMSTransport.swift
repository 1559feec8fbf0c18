import BillingDomain
import Foundation

/// The embedded default for SMS: `<idempotency key>.json` files with the number and text, for a gateway script or
/// a person to pick up.
public struct SpoolSMSTransport: SMSTransport {
    public let folder: SpoolFolder

    public init(directory: String) { folder = SpoolFolder(path: directory) }

    public func send(_ message: SMSMessage) throws -> String {
        let name = SpoolFolder.fileName(message.idempotencyKey, extension: "json")
        let body: [String: String] = ["to": message.to, "message": message.body, "idempotencyKey": message.idempotencyKey]
        do {
            let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
            try folder.write(name: name, contents: data)
        } catch let error as BillingError {
            throw DeliveryFailure.transient(.spoolWriteFailed, error.message)
        }
        return name
    }
}
