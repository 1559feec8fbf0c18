@testable import BillingDelivery
import ControlProtocol
import Foundation
import Testing

/// The headers of produced e-mails as a real reader sees them: Python's `email` package parses each message.
@Suite("E-mail headers under hostile customer names")
struct EmailHeaderTests {
    static let hostileNames = [
        "\nevil@attacker.example, Real Customer", "Eve\r\nBcc: x@attacker.example", "Smith, John", "\"Quoted\" Name",
        "Back\\slash \\\"", "<evil@attacker.example>", "evil@attacker.example", "Semi; colon", "Group: a@b.example;",
        "Paren (comment) x", "Åsa Öberg, AB <x@y.example>", "😀👩‍👩‍👧 Emoji; \"x\"", "=?UTF-8?B?ZXZpbEBleGFtcGxl?=",
        "Tab\there\u{85}nel", "a,b@c.example:d;<e>(f)\\g\"h", String(repeating: "Long Name ", count: 100),
        String(repeating: "x", count: 1_000), "e" + String(repeating: "\u{301}", count: 1_000),
        String(repeating: "Ünïcödé ", count: 120),
    ]

    /// What Python's parser makes of each message: the To addresses (policy.default), the raw To as `getaddresses`
    /// reads it (what `sendmail -t` goes by) with each name decoded by RFC 2047's rules, every defect, the longest
    /// line of the header block.
    ///
    /// Names are compared as `decode_header` reads them: policy.default's address parser keeps the folding space
    /// between two encoded words of a display name (RFC 2047 §6.2 says to drop it), so no name longer than one
    /// encoded word, not even one Python itself wrote, comes back intact from `Address.display_name`.
    static func parse(_ messages: [[UInt8]]) throws -> [JSONValue] {
        let script = """
            import email, email.header, email.policy, email.utils, json, sys
            for path in sys.argv[1:]:
                raw = open(path, 'rb').read()
                msg = email.message_from_bytes(raw, policy=email.policy.default)
                defects = [repr(d) for d in msg.defects]
                for name, value in msg.items():
                    defects += ['%s: %r' % (name, d) for d in getattr(value, 'defects', [])]
                plain = email.message_from_bytes(raw)
                head = raw.split(b'\\r\\n\\r\\n')[0].split(b'\\r\\n')
                print(json.dumps({'to': [[a.display_name, a.addr_spec] for a in msg['To'].addresses],
                                  'rawTo': [[str(email.header.make_header(email.header.decode_header(n))), a]
                                            for n, a in email.utils.getaddresses(plain.get_all('To', []))],
                                  'toCount': len(plain.get_all('To', [])), 'subject': str(msg['Subject']),
                                  'defects': defects, 'longest': max(len(line) for line in head)}))
            """
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("headers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for (index, message) in messages.enumerated() {
            let path = folder.appendingPathComponent("\(index).eml").path
            try Data(message).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let output = folder.appendingPathComponent("out.jsonl")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script] + paths
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
    }

    static func message(to name: String, subject: String = "Invoice INV-1") -> [UInt8] {
        EmailMessage(from: Mailbox(parsing: "Exempel AB <billing@example.com>"),
                     to: Mailbox(name: name, address: "victim@example.com"), subject: subject, text: "Hello",
                     html: nil, attachments: [], messageID: "<k@example.com>", date: Date(timeIntervalSince1970: 0),
                     idempotencyKey: "k").rfc5322()
    }

    @Test func displayNameWithCRLFCannotAddRecipients() throws {
        let parsed = try Self.parse(Self.hostileNames.map { Self.message(to: $0) })
        for (name, result) in zip(Self.hostileNames, parsed) {
            // Another program may write such a name into the database: it is sent with spaces for the controls.
            let expectedName = String(String.UnicodeScalarView(name.unicodeScalars.map {
                $0.properties.generalCategory == .control ? " " : $0 })).trimmingCharacters(in: .whitespaces)
            #expect(result["toCount"]?.intValue == 1, "one To header for \(name.debugDescription)")
            let to = result["to"]?.arrayValue ?? []
            #expect(to.count == 1 && to.first?[1]?.stringValue == "victim@example.com",
                    "exactly the real recipient for \(name.debugDescription): \(result)")
            let raw = result["rawTo"]?.arrayValue ?? []
            #expect(raw.count == 1 && raw.first?[1]?.stringValue == "victim@example.com",
                    "getaddresses on the raw header (sendmail -t) finds only the real recipient: \(result)")
            #expect(raw.first?[0]?.stringValue == expectedName, "display name intact for \(name.debugDescription)")
        }
    }

    @Test func longNamesAreFoldedIntoEncodedWordsWithoutDefects() throws {
        let subject = String(repeating: "Fakturá ", count: 40) + String(repeating: "y", count: 300)
        let parsed = try Self.parse(Self.hostileNames.map { Self.message(to: $0, subject: subject) })
        for (name, result) in zip(Self.hostileNames, parsed) {
            #expect(result["defects"]?.arrayValue?.isEmpty == true, "no defects for \(name.debugDescription): \(result)")
            #expect((result["longest"]?.intValue ?? 999) <= 78, "header lines ≤ 78 for \(name.debugDescription)")
            #expect(result["subject"]?.stringValue == subject)
        }
        let text = String(decoding: Self.message(to: "e" + String(repeating: "\u{301}", count: 1_000)), as: UTF8.self)
        #expect(!text.contains("=?UTF-8?B??="), "no empty encoded word")
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
    }
}
