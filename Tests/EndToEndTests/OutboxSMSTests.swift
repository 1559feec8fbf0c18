import ControlProtocol
import Foundation
import Testing

/// SMS through an HTTP gateway (python's http.server on 127.0.0.1) started by each test.
@Suite("Outbox: SMS over an HTTP gateway")
struct OutboxSMSTests {
    static func gateway(_ port: Int) -> String {
        """
        [sms]
        transport = "http"
        gateway_url = "http://127.0.0.1:\(port)/v1/messages"
        token_credential = "sms-token"
        timeout_seconds = 10
        [outbox]
        backoff_base_seconds = 60
        backoff_max_seconds = 3600
        """
    }

    @Test func answer500IsRetriedAnd429WaitsForRetryAfterThenTheMessageIsSent() throws {
        let gateway = try LoopbackServer.smsGateway(
            plan: #"{"responses": [[500, {}, "upstream down"], [429, {"Retry-After": "120"}, "slow down"]]}"#)
        let fixture = try OutboxFixture(Self.gateway(gateway.port))
        try fixture.writeCredential("sms-token", "tok-123")
        try fixture.once(OutboxFixture.firstRun)
        #expect(try fixture.outbox("sms")[0...2] == ["pending", "1", "HTTP_500"])

        try fixture.once("2027-01-31T11:00:00+01:00")
        #expect(try fixture.outbox("sms")[0...2] == ["pending", "2", "HTTP_429"])
        let wait = try fixture.rows("SELECT next_attempt_at - updated_at FROM outbox WHERE channel = 'sms'")[0][0]
        #expect(wait == "120", "Retry-After: 120 is honoured exactly, not replaced by the backoff")
        try fixture.once("2027-01-31T11:01:00+01:00")
        #expect(gateway.count() == 2, "not asked again before Retry-After ran out")
        try fixture.once("2027-01-31T11:02:30+01:00")
        #expect(try fixture.outbox("sms") == ["sent", "3", "HTTP_429", "sms-3"])

        let requests = try gateway.records()
        #expect(requests.count == 3)
        for request in requests {
            #expect(request["authorization"]?.stringValue == "Bearer tok-123", "token read from $CREDENTIALS_DIRECTORY")
            #expect(request["idempotencyKey"]?.stringValue == "invoice-1-invoice_issued-sms", "the same key on every try")
            #expect(request["contentType"]?.stringValue == "application/json")
            #expect(request["path"]?.stringValue == "/v1/messages")
            #expect(request["body"]?["to"]?.stringValue == "+46701234567")
            #expect(request["body"]?["message"]?.stringValue?.contains("faktura \(OutboxFixture.invoiceNumber)") == true)
        }
        let failures = try fixture.notificationHistory().filter { $0[0] == "notification_failed" }
        #expect(failures.map { $0[2] } == ["HTTP_500", "HTTP_429"])
        #expect(failures[1][3].contains("slow down"))
    }

    @Test func answer400FailsAtOnce() throws {
        let gateway = try LoopbackServer.smsGateway(plan: #"{"responses": [[400, {}, "{\"error\": \"invalid number\"}"]]}"#)
        let fixture = try OutboxFixture(Self.gateway(gateway.port))
        try fixture.writeCredential("sms-token", "tok-123")
        try fixture.once(OutboxFixture.firstRun)
        #expect(try fixture.outbox("sms")[0...2] == ["failed", "1", "HTTP_400"])
        let failure = try #require(try fixture.notificationHistory().first { $0[0] == "notification_failed" })
        #expect(failure[1] == "sms" && failure[3].contains("invalid number"))
        try fixture.once("2027-02-05T10:00:00+01:00")
        #expect(gateway.count() == 1, "a permanent failure is not retried")
        #expect(try fixture.outbox("email")[0] == "sent", "the e-mail (spool) is not held back by the SMS")
    }

    @Test func missingTokenIsTransientSoTheMessageWaitsForTheOperator() throws {
        let gateway = try LoopbackServer.smsGateway()
        let fixture = try OutboxFixture(Self.gateway(gateway.port))
        try fixture.once(OutboxFixture.firstRun)
        #expect(try fixture.outbox("sms")[0...2] == ["pending", "1", "CREDENTIAL_MISSING"])
        #expect(gateway.count() == 0)
        try fixture.writeCredential("sms-token", "tok-123")
        try fixture.once("2027-01-31T11:00:00+01:00")
        #expect(try fixture.outbox("sms")[0] == "sent")
    }

    @Test func theRequestTargetIsTheGatewayURLsPercentEncodedPathAndQuery() throws {
        let gateway = try LoopbackServer.smsGateway()
        let fixture = try OutboxFixture(Self.gateway(gateway.port).replacingOccurrences(
            of: "/v1/messages", with: "/v1/send%20sms/%C3%A5?account=a%26b&x=%2F"))
        try fixture.writeCredential("sms-token", "tok-123")
        try fixture.once(OutboxFixture.firstRun)
        #expect(try fixture.outbox("sms")[0] == "sent")
        #expect(try gateway.records().first?["path"]?.stringValue == "/v1/send%20sms/%C3%A5?account=a%26b&x=%2F",
                "the path and query exactly as configured, still percent-encoded")
    }

    @Test func anHTTPSGatewayWithAPrivateCAIsTrustedThroughCAFile() throws {
        let certificate = try LocalhostCertificate()
        defer { withExtendedLifetime(certificate) {} }
        let cert = certificate.cert, key = certificate.key
        let gateway = try LoopbackServer.smsGateway(plan: #"{"tls": ["\#(cert)", "\#(key)"]}"#)
        let https = Self.gateway(gateway.port).replacingOccurrences(of: "http://127.0.0.1", with: "https://localhost")
        let untrusted = try OutboxFixture(https)
        try untrusted.writeCredential("sms-token", "tok-123")
        try untrusted.once(OutboxFixture.firstRun)
        #expect(try untrusted.outbox("sms")[0] == "pending", "a certificate no trusted CA signed is refused (and retried)")

        let fixture = try OutboxFixture(https.replacingOccurrences(
            of: "timeout_seconds = 10", with: "timeout_seconds = 10\nca_file = \"\(cert)\""))
        try fixture.writeCredential("sms-token", "tok-123")
        try fixture.once(OutboxFixture.firstRun)
        let row = try fixture.outbox("sms")
        #expect(row.first == "sent", "\(row)")
        #expect(try gateway.records().count == 1)
    }
}
