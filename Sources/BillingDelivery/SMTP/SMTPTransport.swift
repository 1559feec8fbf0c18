import BillingDomain
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// E-mail over SMTP to a relay: connections are kept between messages of a drain (one per sender thread at most)
/// and closed when the drain ends.
///
/// Classification: a 4xx reply to MAIL, RCPT or DATA is transient and the message is retried; a 5xx reply is
/// permanent and the message fails at once with the server's code and text (`SMTP_550`). Refused or lost
/// connections and timeouts are transient. A connection lost after the message text was sent but before the
/// server's answer may have delivered it: the retry carries the same Message-ID.
public final class SMTPTransport: EmailTransport, Sendable {
    public struct Options: Sendable {
        public var host: String
        public var port: Int
        public var startTLS: Bool
        public var caFile: String?
        public var username: String?
        public var passwordCredential: String
        public var timeoutSeconds: Int
        public var heloName: String

        public init(host: String, port: Int, startTLS: Bool, caFile: String? = nil, username: String?,
                    passwordCredential: String, timeoutSeconds: Int, heloName: String) {
            self.host = host
            self.port = port
            self.startTLS = startTLS
            self.caFile = caFile
            self.username = username
            self.passwordCredential = passwordCredential
            self.timeoutSeconds = timeoutSeconds
            self.heloName = heloName
        }
    }

    private let options: Options
    private let group: EventLoopGroup
    private let idle = Mutex<[SMTPConnection]>([])

    public init(options: Options, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.options = options
        self.group = group
    }

    public func send(_ message: EmailMessage) throws -> String {
        // A kept connection may have been closed by the server while idle; that costs a reconnect, not an attempt.
        if let reused = takeIdle() {
            do {
                return try deliver(message, on: reused, reused: true)
            } catch is StaleConnection {
                // Nothing of the message was sent: try once more on a fresh connection.
            }
        }
        return try deliver(message, on: try SMTPConnection.open(settings(), group: group), reused: false)
    }

    public func finish() {
        let connections = idle.withLock { idle in
            defer { idle.removeAll() }
            return idle
        }
        for connection in connections { connection.close() }
    }

    private struct StaleConnection: Error {}

    private func deliver(_ message: EmailMessage, on connection: SMTPConnection, reused: Bool) throws -> String {
        var keep = false
        defer {
            if keep { putIdle(connection) } else { connection.close() }
        }
        let envelope = ["MAIL FROM:<\(message.from.address)>", "RCPT TO:<\(message.to.address)>", "DATA"]
        let accepted: [Set<Int>] = [[250], [250, 251], [354]]
        let replies = try exchange(envelope, accepted, on: connection, reused: reused)
        // 421 means the server is closing the session; a 4xx to MAIL on a kept connection is no verdict either.
        if reused && replies[0].code == 421 { throw StaleConnection() }
        if let refused = replies.indices.first(where: { !accepted[$0].contains(replies[$0].code) }) {
            // A server that refused MAIL or RCPT but still answered the pipelined DATA with 354 now waits for a
            // message: dropping the connection is the only way not to deliver an empty one.
            if replies.count == envelope.count && replies[2].code == 354 { connection.abort() }
            throw Self.failure(replies[refused], after: envelope[refused])
        }
        let reply = try connection.data(message.rfc5322())
        guard reply.code == 250 else { throw Self.failure(reply, after: "the message text") }
        keep = true
        let said = reply.text.trimmingCharacters(in: .whitespaces)
        return said.isEmpty ? message.messageID : said
    }

    /// MAIL, RCPT and DATA in one round trip when the server offers PIPELINING (RFC 2920); otherwise one by one,
    /// stopping at the first refusal. The replies come back in order, as many as were asked for.
    ///
    /// A kept connection found closed before any reply is stale, not a verdict on the message: the message text
    /// was not sent, in either mode.
    private func exchange(_ envelope: [String], _ accepted: [Set<Int>], on connection: SMTPConnection,
                          reused: Bool) throws -> [SMTPReply] {
        var replies: [SMTPReply] = []
        do {
            if connection.pipelining { return try connection.commands(envelope) }
            for (line, codes) in zip(envelope, accepted) {
                replies.append(try connection.command(line))
                if !codes.contains(replies[replies.count - 1].code) { break }
            }
        } catch let failure as DeliveryFailure where reused && replies.isEmpty && failure.cause == .code(.connectionLost) {
            throw StaleConnection()
        }
        return replies
    }

    static func failure(_ reply: SMTPReply, after what: String) -> DeliveryFailure {
        let command = what.hasPrefix("RCPT") || what.hasPrefix("MAIL") ? String(what.prefix(4)) : what
        let message = "\(reply.code) \(reply.text) (after \(command))"
        return reply.isTransient
            ? .transient(.smtpReply(reply.code), message)
            : .permanent(.smtpReply(reply.code), message)
    }

    private func settings() throws -> SMTPConnection.Settings {
        var tlsContext: NIOSSLContext?
        if options.startTLS {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let caFile = options.caFile { configuration.trustRoots = .file(caFile) }
            do {
                tlsContext = try NIOSSLContext(configuration: configuration)
            } catch {
                throw DeliveryFailure.transient(.tlsConfiguration, "Cannot set up TLS for \(options.host): \(error).")
            }
        }
        let credential = options.passwordCredential
        return SMTPConnection.Settings(
            host: options.host, port: options.port, heloName: options.heloName, startTLS: options.startTLS,
            tlsContext: tlsContext, username: options.username,
            password: { try Credentials.read(credential) }, timeout: .seconds(Int64(options.timeoutSeconds)))
    }

    private func takeIdle() -> SMTPConnection? {
        idle.withLock { idle in
            while let connection = idle.popLast() {
                if connection.isOpen { return connection }
            }
            return nil
        }
    }

    private func putIdle(_ connection: SMTPConnection) {
        idle.withLock { $0.append(connection) }
    }
}
