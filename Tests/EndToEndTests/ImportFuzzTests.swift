import BillingTestKit
import ControlProtocol
import Foundation
import TestSupport
import Testing

/// Import documents for the fuzz test: the repository's examples (JSON, SOAP 1.1, and the same envelope as
/// SOAP 1.2), taken apart and put together wrongly, plus documents of random bytes.
struct ImportDocumentMutator {
    var random: SplitMix64
    let seeds: [[UInt8]]

    /// Pieces that parsers trip over: delimiters of both syntaxes, entities and a DTD, escapes of invalid code
    /// points, extreme numbers, byte-order marks, deep nesting, a foreign namespace.
    static let hostile: [String] = [
        "\"", "'", "<", ">", "&", "&amp;", "&#0;", "&#x110000;", "&bogus;", "<!DOCTYPE x [<!ENTITY a \"b\">]>",
        "<![CDATA[", "]]>", "<?xml version=\"1.0\"?>", "</soap:Body>", "xmlns=\"urn:other\"", "xsi:nil=\"true\"",
        "{", "}", "[", "]", ",", ":", "null", "true", "-0", "1e999", "-1e-999", "99999999999999999999999999.999999",
        "\\u0000", "\\ud800", "2027-02-30T09:00:00", "2027-13-01", "Every 0 Days", "Fortnightly", "Mars/Olympus",
        "XXX", "JPY", "-1", "0.0000001", "100.5", "", "\\", "\u{FEFF}", "\u{0}", "\u{7F}", "é", "😀", "\r\n",
        String(repeating: "[", count: 300), String(repeating: "<a>", count: 300), String(repeating: "x", count: 5_000),
    ]

    init(seed: UInt64) throws {
        random = SplitMix64(seed: seed)
        let json = try Data(contentsOf: URL(fileURLWithPath: Examples.path("templates.json")))
        let soap11 = try String(contentsOfFile: Examples.path("soap11-monthly.xml"), encoding: .utf8)
        let soap12 = soap11.replacingOccurrences(of: "http://schemas.xmlsoap.org/soap/envelope/",
                                                 with: "http://www.w3.org/2003/05/soap-envelope")
        seeds = [Array(json), Array(soap11.utf8), Array(soap12.utf8)]
    }

    /// The next document: one in ten is random bytes; the others are a seed with one to three mutations, half of
    /// them to a value only (a field's text), so that many documents get past the syntax to the validation.
    mutating func next() -> [UInt8] {
        if random.chance(10) {
            return (0..<random.int(in: 0...2_000)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        }
        var document = random.pick(seeds)
        for _ in 0..<random.int(in: 1...3) {
            if random.bool() { replaceValue(&document) } else { mutate(&document) }
        }
        return document
    }

    /// Replaces the text of one value (after a `": "` or a `>`, up to the next `"`, `,` or `<`).
    private mutating func replaceValue(_ document: inout [UInt8]) {
        let opening: Set<UInt8> = [UInt8(ascii: ">"), UInt8(ascii: ":")]
        let closing: Set<UInt8> = [UInt8(ascii: "<"), UInt8(ascii: ","), UInt8(ascii: "}")]
        guard let start = document[random.int(in: 0...document.count)...].firstIndex(where: opening.contains),
              let end = document[(start + 1)...].firstIndex(where: closing.contains) else { return }
        var value = random.pick(Self.hostile)
        // Mostly well-formed: a JSON string, or XML text with its markup escaped; sometimes left raw.
        if random.chance(80) {
            value = document[start] == UInt8(ascii: ":")
                ? " \"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
                : value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
        document.replaceSubrange((start + 1)..<end, with: Array(value.utf8))
    }

    private mutating func span(in document: [UInt8]) -> Range<Int> {
        let start = random.int(in: 0...document.count)
        return start..<min(document.count, start + random.int(in: 0...48))
    }

    private mutating func mutate(_ document: inout [UInt8]) {
        switch random.int(in: 0...4) {
        case 0 where !document.isEmpty:
            document[random.int(in: 0...(document.count - 1))] = UInt8(truncatingIfNeeded: random.next())
        case 1:
            document.removeSubrange(span(in: document))
        case 2:
            let copied = Array(document[span(in: document)])
            document.insert(contentsOf: copied, at: random.int(in: 0...document.count))
        case 3:
            document.replaceSubrange(span(in: document), with: Array(random.pick(Self.hostile).utf8))
        default:
            document.removeLast(random.int(in: 0...document.count))
        }
    }
}

@Suite("Import parsers fuzzed through the control socket")
struct ImportFuzzTests {
    /// Thousands of mutated JSON, SOAP 1.1 and SOAP 1.2 documents and random bytes, from two clients at once. Every
    /// answer is a success or a refusal with a stable code (never INTERNAL_ERROR), the daemon keeps answering
    /// `status`, and its memory after a warm-up stays within a few MiB.
    @Test(.timeLimit(.minutes(15)))
    func mutatedImportDocumentsGetCodedAnswersAndLeaveTheDaemonServingWithFlatMemory() throws {
        let total = HeavyTests.size(5_000, heavy: 20_000), warmUp = 500, clients = 2
        let daemon = try DaemonProcess(extraArguments: ["--now", "2026-01-01T00:00:00Z"])
        // The customer the SOAP example bills, so unmutated envelopes import.
        let customer = #"{"Customers": [{"CustomerGUID": "c-tennis-017", "FirstName": "Tove", "Email": "tove@example.com"}], "RecurringInvoices": []}"#
        #expect(try daemon.ctl("import", "-", input: Data(customer.utf8)).exitCode == 0)

        let answers = AnswerTally()
        func round(_ range: Range<Int>) {
            onThreads(clients) { client in
                guard var mutator = try? ImportDocumentMutator(seed: 0x1A_F022 &+ UInt64(range.lowerBound + client)) else {
                    answers.add("no seed documents")
                    return
                }
                for _ in stride(from: range.lowerBound + client, to: range.upperBound, by: clients) {
                    let document = mutator.next()
                    let request = ControlRequest(command: "import", args: [
                        "documentBase64": .string(Data(document).base64EncodedString()),
                    ])
                    switch Result(catching: { try ControlClient(path: daemon.socket).send(request) }) {
                    case .success(.success): answers.add("success")
                    case .success(.failure(let error)): answers.add(error.code.rawValue)
                    case .failure(let error): answers.add("no answer: \(error)")
                    }
                }
            }
        }
        round(0..<warmUp)
        let baseline = try ProcessSample(pid: daemon.pid).rssKiB
        round(warmUp..<total)
        let after = try ProcessSample(pid: daemon.pid).rssKiB

        let counts = answers.counts
        #expect(counts.values.reduce(0, +) == total)
        let uncoded = counts.keys.filter {
            $0 != "success" && ($0.wholeMatch(of: /[A-Z][A-Z0-9_]*/) == nil || $0 == "INTERNAL_ERROR")
        }
        #expect(uncoded.isEmpty, "answers that are neither a success nor a coded refusal: \(uncoded)")
        #expect(counts["success", default: 0] > 0 && counts.count > 5, "the mutations reach past the parsers: \(counts)")
        let status = try daemon.ctl("--json", "status")
        let version = text(try status.json()["version"])
        #expect(status.exitCode == 0 && version != nil, "\(status.stderr)")
        #expect(after - baseline < 6 * 1024, "VmRSS \(baseline) KiB after the warm-up, \(after) KiB at the end")
        #expect(daemon.stop() == 0)
        print("import fuzz: \(total) documents, VmRSS \(baseline) → \(after) KiB, answers \(counts.sorted { $0.value > $1.value })")
    }
}

/// Answers by code, collected from the client threads.
final class AnswerTally: @unchecked Sendable {
    private let lock = NSLock()
    private var tally: [String: Int] = [:]

    func add(_ answer: String) { lock.withLock { tally[answer, default: 0] += 1 } }
    var counts: [String: Int] { lock.withLock { tally } }
}
