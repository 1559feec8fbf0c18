import BillingDomain
import Foundation
import NIOCore
import NIOSSL

/// SMS through an HTTP gateway: a JSON POST `{"to", "message", "reference"}` with `Authorization: Bearer <token>`
/// and `Idempotency-Key: <outbox key>`.
///
/// Classification: 2xx sent (the provider id is the answer's `id`, else `messageId`); 429 and 5xx (and 408) are
/// transient, and a Retry-After in seconds or as an HTTP date is honoured; every other 4xx is permanent.
public struct SMSGatewayTransport: SMSTransport {
    public let url: URL
    public let tokenCredential: String
    public let timeoutSeconds: Int
    /// One TLS context for every request of this transport (https only): `sms.ca_file` or the system's CAs.
    private let tlsContext: Result<NIOSSLContext, DeliveryFailure>?

    public init(url: URL, tokenCredential: String, timeoutSeconds: Int, caFile: String? = nil) {
        self.url = url
        self.tokenCredential = tokenCredential
        self.timeoutSeconds = timeoutSeconds
        if url.scheme?.lowercased() == "https" {
            do {
                tlsContext = .success(try HTTPPostClient.tlsContext(caFile: caFile))
            } catch {
                tlsContext = .failure(.transient(.tlsConfiguration, "Cannot set up TLS for \(url.host ?? "the SMS gateway"): \(error)."))
            }
        } else {
            tlsContext = nil
        }
    }

    public func send(_ message: SMSMessage) throws -> String {
        let token = try Credentials.read(tokenCredential)
        let body = try JSONSerialization.data(
            withJSONObject: ["to": message.to, "message": message.body, "reference": message.idempotencyKey],
            options: [.sortedKeys])
        let response = try HTTPPostClient(timeout: .seconds(Int64(timeoutSeconds)), tlsContext: tlsContext?.get()).post(
            url,
            headers: [("Content-Type", "application/json"), ("Accept", "application/json"),
                      ("Authorization", "Bearer \(token)"), ("Idempotency-Key", message.idempotencyKey),
                      ("User-Agent", "billingd")],
            body: Array(body))
        let said = String(decoding: response.body.prefix(300), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        switch response.status {
        case 200..<300:
            let json = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            if let id = json?["id"] ?? json?["messageId"] { return "\(id)" }
            return "HTTP \(response.status)"
        case 429, 408, 500..<600:
            throw DeliveryFailure.transient(
                .httpStatus(response.status), "The SMS gateway answered \(response.status): \(said)",
                retryAfter: response.header("Retry-After").flatMap { Self.retryAfterSeconds($0) })
        default:
            throw DeliveryFailure.permanent(.httpStatus(response.status), "The SMS gateway answered \(response.status): \(said)")
        }
    }

    /// Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3).
    static func retryAfterSeconds(_ value: String, now: Date = Date()) -> Int? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, Int(date.timeIntervalSince(now).rounded(.up)))
    }
}
