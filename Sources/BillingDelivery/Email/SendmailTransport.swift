import BillingDomain
import Foundation

/// Hands each message to the local MTA as `sendmail -t -i` (recipients from the headers; a line with a single dot
/// is not the end), for hosts where postfix or msmtp already relays mail.
public struct SendmailTransport: EmailTransport {
    public let path: String
    public let timeout: TimeInterval

    public init(path: String, timeout: TimeInterval = 60) {
        self.path = path
        self.timeout = timeout
    }

    public func send(_ message: EmailMessage) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-t", "-i"]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw DeliveryFailure.transient(.sendmailUnavailable, "Cannot run \(path): \(error.localizedDescription).")
        }
        // The MTA reads the local line convention, LF.
        let text = String(decoding: message.rfc5322(), as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        let said = SendmailPipes.Drain(errors.fileHandleForReading, keep: 500)
        _ = SendmailPipes.Drain(output.fileHandleForReading, keep: 0)
        let feed = SendmailPipes.Feed(input.fileHandleForWriting, bytes: Array(text.utf8))
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                throw DeliveryFailure.transient(.timeout, "\(path) did not finish within \(Int(timeout)) s.")
            }
            usleep(2_000)
        }
        _ = feed.wait(until: .now() + .seconds(1))
        let status = process.terminationStatus
        guard status == 0 else {
            let stderr = String(decoding: said.wait(until: .now() + .seconds(1)) ?? [], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let detail = "\(path) exited with status \(status)\(stderr.isEmpty ? "" : ": \(stderr)")"
            // sysexits: the MTA knows this recipient or message can never be delivered.
            if [64, 65, 67, 68].contains(status) { throw DeliveryFailure.permanent(.sendmailExit(status), detail) }
            throw DeliveryFailure.transient(.sendmailExit(status), detail)
        }
        return message.messageID
    }
}
