import BillingDomain
import ControlProtocol
import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the SOAP 1.1/1.2 `PostRecurringInvoice` envelope (seed 003) into the JSON import document's shape,
/// `{"RecurringInvoices": [{"Header": {…}, "Lines": [{…}, …]}]}`, so that one validator serves both formats.
///
/// This is only a structural reader: every field comes out as `.string` (or `.null` for `xsi:nil`), unknown field
/// names pass through, and the import validator judges names and values exactly as it does for JSON.
///
/// XML is hostile ground, so the bytes are screened before libxml2 sees them: no DTD at all (which rules out
/// entity expansion bombs and external entities, whatever the parser's settings), UTF-8 only, no NUL bytes.
public enum SOAPEnvelopeParser {
    public static let soap11Namespace = "http://schemas.xmlsoap.org/soap/envelope/"
    public static let soap12Namespace = "http://www.w3.org/2003/05/soap-envelope"
    public static let operationNamespace = "http://www.joycesoftware.com"
    public static let maxLines = 1_000
    public static let maxFieldBytes = 64 << 10

    public static func parse(_ bytes: [UInt8], maxBytes: Int = 4 << 20) throws -> JSONValue {
        guard bytes.count <= maxBytes else {
            throw BillingError(.documentTooLarge, "document is \(bytes.count) bytes; the limit is \(maxBytes)")
        }
        try screen(bytes)

        let reader = EnvelopeReader()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = reader
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = true  // to resolve the prefix of xsi:nil ourselves
        parser.shouldResolveExternalEntities = false
        _ = parser.parse()  // its result is not trusted: corelibs reports some errors only through parserError

        if let failure = reader.failure { throw failure }
        if let syntax = reader.syntaxError ?? parser.parserError.map({ SyntaxError(error: $0, line: parser.lineNumber, column: parser.columnNumber) }) {
            // Error 5 is libxml2's "premature end of data" while the root is open: say it the way the JSON parser does.
            if (syntax.error as NSError).code == 5 && !reader.rootClosed {
                throw BillingError(.invalidDocument, "document ends early at line \(syntax.line)")
            }
            throw BillingError(
                .invalidDocument,
                "malformed XML at line \(syntax.line), column \(syntax.column): \(describe(syntax.error))")
        }
        // libxml2 in push mode does not notice a document that simply stops, so check that everything was closed.
        guard reader.rootClosed else {
            let lines = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw BillingError(.invalidDocument, "document ends early at line \(lines)")
        }
        return try reader.result()
    }

    // MARK: Screening

    /// Refuses what must never reach the XML parser.
    static func screen(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBufferPointer { buf in
            if let bad = UTF8Validator.firstInvalidOffset(in: buf) {
                let (line, column) = UTF8Validator.lineAndColumn(of: bad, in: buf)
                throw BillingError(
                    .invalidEncoding,
                    "invalid UTF-8 at byte offset \(bad) (line \(line), column \(column)); the envelope must be UTF-8")
            }
            // NUL is not an XML character, and refusing it keeps libxml2 from auto-detecting UTF-16 or UCS-4 (which
            // would look like valid UTF-8 full of NULs and slip past the DTD screen below).
            if let nul = buf.firstIndex(of: 0) {
                throw BillingError(.invalidEncoding, "NUL byte at offset \(nul); the envelope must be UTF-8 text")
            }
            // Anywhere, even in a comment or CDATA: a plain byte search cannot be fooled by the XML's structure.
            for keyword in ["<!DOCTYPE", "<!ENTITY"] where containsIgnoringCase(buf, keyword) {
                throw BillingError(.dtdForbidden, "the envelope contains \(keyword); DTDs and entity declarations are refused")
            }
            if let encoding = declaredEncoding(buf), !["utf-8", "utf8"].contains(encoding.lowercased()) {
                throw BillingError(.invalidEncoding, "the XML declaration names encoding \"\(encoding)\"; only UTF-8 is accepted")
            }
        }
    }

    static func containsIgnoringCase(_ buf: UnsafeBufferPointer<UInt8>, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard buf.count >= n.count else { return false }
        var i = 0
        while i <= buf.count - n.count {
            if buf[i] == n[0] {
                var k = 1
                while k < n.count && (buf[i + k] | 0x20) == (n[k] | 0x20) { k += 1 }
                if k == n.count { return true }
            }
            i += 1
        }
        return false
    }

    /// The `encoding` pseudo-attribute of a leading `<?xml …?>` declaration, if any.
    static func declaredEncoding(_ buf: UnsafeBufferPointer<UInt8>) -> String? {
        var start = 0
        if buf.count >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF { start = 3 }
        let prefix = Array("<?xml".utf8)
        guard buf.count >= start + prefix.count, Array(buf[start..<start + prefix.count]) == prefix,
            let close = (start..<min(buf.count, start + 1024)).first(where: { buf[$0] == UInt8(ascii: ">") })
        else { return nil }
        let declaration = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<close]), as: UTF8.self)
        guard let range = declaration.range(of: "encoding") else { return nil }
        var rest = declaration[range.upperBound...].drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix(while: { $0 != quote }))
    }

    struct SyntaxError {
        var error: Error
        var line: Int
        var column: Int
    }

    static func describe(_ error: Error) -> String {
        let code = (error as NSError).code
        let known: [Int: String] = [
            4: "document is empty", 5: "document ends early or has content after the root element",
            9: "invalid character", 26: "undeclared entity", 38: "malformed attribute", 39: "attribute without a value",
            41: "attribute redefined", 64: "element name expected", 73: "'>' expected", 76: "mismatched end tag",
            111: "parsing aborted",
        ]
        return "\(known[code] ?? "syntax error") (XML error \(code))"
    }
}

/// The XMLParser delegate: a small state machine over the expected element tree. It stops at the first problem,
/// recording a `BillingError` that `parse` throws.
private final class EnvelopeReader: NSObject, XMLParserDelegate {
    enum Node {
        case envelope, soapHeader, ignored, body, operation, header, lines, line, field
    }

    static let xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

    var failure: BillingError?
    var syntaxError: SOAPEnvelopeParser.SyntaxError?
    var rootClosed = false

    private var stack: [Node] = []
    private var envelopeNamespace = ""
    private var sawBody = false
    private var operationLine: Int?
    private var header: (line: Int, members: [JSONMember])?
    private var lines: (line: Int, items: [JSONValue])?
    private var record: [JSONMember] = []  // the Header or line being read
    private var field: (name: String, line: Int, isNil: Bool, text: String, bytes: Int)?
    private var prefixes: [String: [String]] = [:]  // in-scope namespace bindings, innermost last

    private var stopped: Bool { failure != nil || syntaxError != nil }

    private func fail(_ parser: XMLParser, _ code: BillingError.Code, _ message: String, field: String? = nil) {
        guard !stopped else { return }
        failure = BillingError(code, "\(message) at line \(parser.lineNumber)", field: field)
        parser.abortParsing()
    }

    /// Where the current record sits in the import document, for `BillingError.field`.
    private func path(_ name: String? = nil) -> String {
        var p = "RecurringInvoices[0]"
        if stack.contains(.line) { p += ".Lines[\(lines?.items.count ?? 0)]" } else if stack.contains(.header) { p += ".Header" }
        if let name { p += "." + name }
        return p
    }

    private func qualified(_ name: String, _ ns: String?) -> String { "{\(ns ?? "")}\(name)" }

    func parser(_ parser: XMLParser, didStartMappingPrefix prefix: String, toURI namespaceURI: String) {
        prefixes[prefix, default: []].append(namespaceURI)
    }

    func parser(_ parser: XMLParser, didEndMappingPrefix prefix: String) {
        _ = prefixes[prefix]?.popLast()
    }

    /// True when an attribute `p:local` is bound to `namespace` (the prefix may be anything, e.g. `i:nil` from WCF).
    private func attribute(_ attributes: [String: String], _ local: String, in namespace: String) -> String? {
        for (key, value) in attributes {
            let parts = key.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[1] == local, prefixes[String(parts[0])]?.last == namespace { return value }
        }
        return nil
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI ns: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        guard !stopped else { return }
        let expected = SOAPEnvelopeParser.operationNamespace
        switch stack.last {
        case nil:
            guard name == "Envelope", let ns, ns == SOAPEnvelopeParser.soap11Namespace || ns == SOAPEnvelopeParser.soap12Namespace else {
                return fail(parser, .wrongNamespace, "root element \(qualified(name, ns)) is not a SOAP Envelope; expected Envelope in namespace \(SOAPEnvelopeParser.soap11Namespace) (SOAP 1.1) or \(SOAPEnvelopeParser.soap12Namespace) (SOAP 1.2)")
            }
            envelopeNamespace = ns
            stack.append(.envelope)
        case .envelope:
            guard name == "Header" || name == "Body" else {
                return fail(parser, .invalidDocument, "unexpected element \(qualified(name, ns)) in the SOAP Envelope")
            }
            guard ns == envelopeNamespace else {
                return fail(parser, .wrongNamespace, "SOAP \(name) in namespace \(ns ?? "(none)"); expected \(envelopeNamespace)")
            }
            if name == "Body" {
                guard !sawBody else { return fail(parser, .invalidDocument, "the Envelope has more than one Body") }
                sawBody = true
            }
            stack.append(name == "Body" ? .body : .soapHeader)
        case .soapHeader:
            // We understand no SOAP header blocks, so one that must be understood has to be refused (SOAP 1.1 §4.2.3).
            if let must = attribute(attributes, "mustUnderstand", in: envelopeNamespace), must == "1" || must == "true" {
                return fail(parser, .invalidDocument, "SOAP header block \(qualified(name, ns)) must be understood but is not supported")
            }
            stack.append(.ignored)
        case .ignored:
            stack.append(.ignored)
        case .body:
            guard operationLine == nil else {
                return fail(parser, .invalidDocument, "the Body holds more than one element; expected exactly one PostRecurringInvoice")
            }
            guard name == "PostRecurringInvoice" else {
                return fail(parser, .invalidDocument, "the Body holds \(qualified(name, ns)); expected PostRecurringInvoice")
            }
            guard ns == expected else {
                return fail(parser, .wrongNamespace, "PostRecurringInvoice in namespace \(ns ?? "(none)"); expected \(expected)")
            }
            operationLine = parser.lineNumber
            stack.append(.operation)
        case .operation:
            guard ns == expected else {
                return fail(parser, .wrongNamespace, "\(name) in namespace \(ns ?? "(none)"); expected \(expected)")
            }
            switch name {
            case "Header" where header == nil:
                header = (parser.lineNumber, [])
                record = []
                stack.append(.header)
            case "Lines" where lines == nil:
                lines = (parser.lineNumber, [])
                stack.append(.lines)
            case "Header", "Lines":
                fail(parser, .invalidDocument, "PostRecurringInvoice has more than one \(name)")
            default:
                fail(parser, .invalidDocument, "unexpected element \(name) in PostRecurringInvoice; expected Header and Lines")
            }
        case .lines:
            guard ns == expected else {
                return fail(parser, .wrongNamespace, "\(name) in namespace \(ns ?? "(none)"); expected \(expected)")
            }
            guard name == "RecurringInvoiceLine" else {
                return fail(parser, .invalidDocument, "unexpected element \(name) in Lines; expected RecurringInvoiceLine")
            }
            guard (lines?.items.count ?? 0) < SOAPEnvelopeParser.maxLines else {
                return fail(parser, .tooManyItems, "more than \(SOAPEnvelopeParser.maxLines) RecurringInvoiceLine elements")
            }
            record = []
            stack.append(.line)
        case .header, .line:
            guard ns == expected else {
                return fail(parser, .wrongNamespace, "field \(name) in namespace \(ns ?? "(none)"); expected \(expected)", field: path(name))
            }
            guard !record.contains(where: { $0.key == name }) else {
                return fail(parser, .invalidDocument, "field \(name) appears more than once", field: path(name))
            }
            let nilValue = attribute(attributes, "nil", in: EnvelopeReader.xsiNamespace)?.trimmingCharacters(in: .whitespaces)
            field = (name, parser.lineNumber, nilValue == "true" || nilValue == "1", "", 0)
            stack.append(.field)
        case .field:
            let owner = field?.name ?? ""
            fail(parser, .invalidDocument, "field \(owner) contains element \(name); fields must hold text only", field: path(owner))
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stopped else { return }
        switch stack.last {
        case .field:
            guard var current = field else { return }
            current.bytes += string.utf8.count
            guard current.bytes <= SOAPEnvelopeParser.maxFieldBytes else {
                return fail(parser, .fieldTooLong, "field \(current.name) is longer than \(SOAPEnvelopeParser.maxFieldBytes) bytes", field: path(current.name))
            }
            current.text += string
            field = current
        case .ignored, .soapHeader:
            break
        default:
            // Text between structural elements would be silently lost; refuse it instead.
            if string.unicodeScalars.contains(where: { !EnvelopeReader.isXMLWhitespace($0) }) {
                fail(parser, .invalidDocument, "unexpected text \"\(string.prefix(40))\" outside a field")
            }
        }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        guard !stopped, let node = stack.popLast() else { return }
        switch node {
        case .field:
            guard let done = field else { return }
            field = nil
            let text = EnvelopeReader.trimmed(done.text)
            if done.isNil && !text.isEmpty {
                return fail(parser, .invalidDocument, "field \(done.name) is xsi:nil but has text", field: path(done.name))
            }
            record.append(JSONMember(key: done.name, value: done.isNil ? .null : .string(text), line: done.line))
        case .header:
            header?.members = record
        case .line:
            lines?.items.append(.object(record))
        case .envelope:
            rootClosed = true
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        guard !stopped else { return }
        syntaxError = .init(error: parseError, line: parser.lineNumber, column: parser.columnNumber)
    }

    func parser(_ parser: XMLParser, validationErrorOccurred validationError: Error) {
        self.parser(parser, parseErrorOccurred: validationError)
    }

    /// The import document for a well-formed envelope. Header or Lines that are absent stay absent, so the
    /// validator reports them with the same MISSING_FIELD it gives a JSON document.
    func result() throws -> JSONValue {
        guard sawBody else {
            throw BillingError(.wrongNamespace, "the Envelope has no Body in namespace \(envelopeNamespace)")
        }
        guard let operationLine else {
            throw BillingError(.invalidDocument, "the Body holds no PostRecurringInvoice in namespace \(SOAPEnvelopeParser.operationNamespace)")
        }
        var invoice: [JSONMember] = []
        if let header { invoice.append(JSONMember(key: "Header", value: .object(header.members), line: header.line)) }
        if let lines { invoice.append(JSONMember(key: "Lines", value: .array(lines.items), line: lines.line)) }
        return .object([JSONMember(key: "RecurringInvoices", value: .array([.object(invoice)]), line: operationLine)])
    }

    static func isXMLWhitespace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\n" || s == "\r"
    }

    /// Trims XML whitespace only: a no-break space inside a value is data, not formatting.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isXMLWhitespace($0) }),
            let last = scalars.lastIndex(where: { !isXMLWhitespace($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
