import BillingDomain
import BillingEngine
import ControlProtocol
import TestSupport
import Testing

/// Builds envelopes shaped like seed 003 (PostRecurringInvoice), with the placeholders filled in.
enum SOAPSample {
    static let soap11NS = "http://schemas.xmlsoap.org/soap/envelope/"
    static let soap12NS = "http://www.w3.org/2003/05/soap-envelope"
    static let joyce = "http://www.joycesoftware.com"

    /// Header fields in seed order; nil is sent as xsi:nil.
    static let header: [(String, String?)] = [
        ("Id", "7"), ("RecordGuid", "t-1"), ("CustomerGUID", "c-1"), ("EmployeeGUID", "e-1"), ("CurrencyRate", "1"),
        ("DueDays", "30"), ("CustomerNotes", "Thanks & welcome <3"), ("CreatedOnUtc", "2026-12-01T10:00:00Z"),
        ("CustomerReference", "PO-17"), ("RepeatVery", "Monthly"), ("RunDate", "2027-01-31T09:00:00"),
        ("NextRunDate", "2027-01-31T09:00:00"), ("LastRunDate", nil), ("StoreCode", "MAIN"), ("Exported", "false"),
        ("TotalIncVat", "1871.25"), ("TotalExcVat", "1497.00"), ("TotalCost", "360.00"),
    ]

    static func line(_ n: Int) -> [(String, String?)] {
        [
            ("Id", "\(n)"), ("RecurringInvoiceGuid", "t-1"), ("LineGuid", "l-\(n)"), ("LineType", "0"),
            ("ProductGUID", "p-\(n)"), ("ProductDescription", "Hosting \(n)"), ("Quantity", "1"), ("BatchNumber", ""),
            ("ExpiryDate", nil), ("UnitPrice", "499.00"), ("UnitCost", "120.00"), ("TotalPriceInc", "623.75"),
            ("TotalPriceExc", "499.00"), ("Sku", "SKU-\(n)"), ("TaxCategoryId", "1"), ("TaxRate", "25"),
        ]
    }

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }

    static func fields(_ fields: [(String, String?)], indent: String) -> String {
        fields.map { name, value in
            guard let value else { return "\(indent)<\(name) xsi:nil=\"true\" />" }
            return value.isEmpty ? "\(indent)<\(name) />" : "\(indent)<\(name)>\(escaped(value))</\(name)>"
        }.joined(separator: "\n")
    }

    static func envelope(
        soap12: Bool = false, lines: Int = 3, envelopeNamespace: String? = nil, operationNamespace: String = joyce,
        headerFields: [(String, String?)] = header, extraHeader: String = "", extraLine: String = "", soapHeader: String = ""
    ) -> String {
        let prefix = soap12 ? "soap12" : "soap"
        let ns = envelopeNamespace ?? (soap12 ? soap12NS : soap11NS)
        let lineXML = (0..<lines).map { $0 + 1 }.map { n in
            "        <RecurringInvoiceLine>\n\(fields(line(n), indent: "          "))\(extraLine)\n        </RecurringInvoiceLine>"
        }.joined(separator: "\n")
        return """
            <?xml version="1.0" encoding="utf-8"?>
            <\(prefix):Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:\(prefix)="\(ns)">\(soapHeader)
              <\(prefix):Body>
                <PostRecurringInvoice xmlns="\(operationNamespace)">
                  <Header>
            \(fields(headerFields, indent: "        "))\(extraHeader)
                  </Header>
                  <Lines>
            \(lineXML)
                  </Lines>
                </PostRecurringInvoice>
              </\(prefix):Body>
            </\(prefix):Envelope>
            """
    }

    /// The JSON import document the envelope must turn into.
    static func expected(lines: Int = 3) -> JSONValue {
        func object(_ fields: [(String, String?)]) -> JSONValue {
            .object(fields.map { JSONMember(key: $0.0, value: $0.1.map(JSONValue.string) ?? .null) })
        }
        return ["RecurringInvoices": [["Header": object(header), "Lines": .array((0..<lines).map { object(line($0 + 1)) })]]]
    }
}

/// Parses an envelope, returning the refusal (nil when it parsed); non-BillingErrors are failures.
func soapRefusal(_ text: String, maxBytes: Int = 4 << 20) -> BillingError? {
    soapRefusal(bytes: Array(text.utf8), maxBytes: maxBytes)
}

func soapRefusal(bytes: [UInt8], maxBytes: Int = 4 << 20) -> BillingError? {
    do {
        _ = try SOAPEnvelopeParser.parse(bytes, maxBytes: maxBytes)
        return nil
    } catch let error as BillingError {
        return error
    } catch {
        Issue.record("not a BillingError: \(error)")
        return nil
    }
}

@Suite("SOAP PostRecurringInvoice envelope")
struct SOAPEnvelopeParserTests {
    @Test("a SOAP 1.1 envelope with three lines becomes the JSON import document, with source lines")
    func soap11() throws {
        let text = SOAPSample.envelope()
        let value = try SOAPEnvelopeParser.parse(Array(text.utf8))
        #expect(value == SOAPSample.expected())
        let sourceLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func lineOf(_ needle: String) -> Int { (sourceLines.firstIndex(where: { $0.contains(needle) }) ?? -1) + 1 }
        let invoice = value["RecurringInvoices"]?[0]
        #expect(value.members?.first?.line == lineOf("<PostRecurringInvoice"))
        #expect(invoice?.members?.map(\.line) == [lineOf("<Header>"), lineOf("<Lines>")])
        let header = invoice?["Header"]?.members ?? []
        #expect(header.first(where: { $0.key == "RecordGuid" })?.line == lineOf("<RecordGuid>"))
        #expect(header.first(where: { $0.key == "LastRunDate" })?.line == lineOf("<LastRunDate"))
        let thirdLine = invoice?["Lines"]?[2]?.members ?? []
        #expect(thirdLine.first(where: { $0.key == "LineGuid" })?.line == lineOf("<LineGuid>l-3<"))
    }

    @Test("a SOAP 1.2 envelope gives the same document as SOAP 1.1")
    func soap12() throws {
        let value = try SOAPEnvelopeParser.parse(Array(SOAPSample.envelope(soap12: true).utf8))
        #expect(value == SOAPSample.expected())
    }

    @Test("the SOAP result equals the same import written as JSON")
    func sameShapeAsJSON() throws {
        let soap = try SOAPEnvelopeParser.parse(Array(SOAPSample.envelope(lines: 1).utf8))
        let json = try JSONParser.parse(SOAPSample.expected(lines: 1).serialized(pretty: true))
        #expect(soap == json)
        #expect(json["RecurringInvoices"]?[0]?["Header"]?["LastRunDate"]?.isNull == true)
    }

    @Test("xsi:nil gives null under any prefix, an empty element gives an empty string, text is trimmed")
    func leafValues() throws {
        let extra = """

                    <EndDate i:nil="1" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/>
                    <MaxRuns nil="true">  12 </MaxRuns>
                    <Currency>
                      SEK
                    </Currency>
                    <TimeZone></TimeZone>
                    <VatRounding><![CDATA[PerLine]]></VatRounding>
                    <RoundingMode>Half&#85;p</RoundingMode>
                    <PricesIncludeVat>\u{A0}false\u{A0}</PricesIncludeVat>
                    <SomethingNew>passed through</SomethingNew>
            """
        let text = SOAPSample.envelope(lines: 1, extraHeader: extra, extraLine: "\n<DiscountPercent>10</DiscountPercent><PriceIncludesVat xsi:nil='true'/>")
        let value = try SOAPEnvelopeParser.parse(Array(text.utf8))
        let header = value["RecurringInvoices"]?[0]?["Header"]
        #expect(header?["LastRunDate"] == .null)
        #expect(header?["EndDate"] == .null)
        #expect(header?["MaxRuns"] == "12")  // an unprefixed nil attribute is not xsi:nil
        #expect(header?["Currency"] == "SEK")
        #expect(header?["TimeZone"] == "")
        #expect(header?["VatRounding"] == "PerLine")
        #expect(header?["RoundingMode"] == "HalfUp")
        #expect(header?["PricesIncludeVat"] == "\u{A0}false\u{A0}")  // only XML whitespace is formatting
        #expect(header?["SomethingNew"] == "passed through")
        #expect(header?["CustomerNotes"] == "Thanks & welcome <3")
        let line = value["RecurringInvoices"]?[0]?["Lines"]?[0]
        #expect(line?["BatchNumber"] == "")
        #expect(line?["DiscountPercent"] == "10")
        #expect(line?["PriceIncludesVat"] == .null)
    }

    @Test("a DTD is refused before parsing, including the external-entity and billion-laughs attacks", arguments: [
        "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<x>&e;</x>",
        """
        <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
        <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;">]><lolz>&lol9;</lolz>
        """,
        "<!doctype soap:Envelope SYSTEM \"http://attacker.example/x.dtd\"><soap:Envelope/>",
        "<soap:Envelope><!-- <!ENTITY hidden 'x'> --></soap:Envelope>",
        SOAPSample.envelope().replacingOccurrences(
            of: "?>\n", with: "?>\n<!DOCTYPE soap:Envelope [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"),
    ])
    func dtdForbidden(text: String) {
        let error = soapRefusal(text)
        #expect(error?.code == .dtdForbidden)
    }

    @Test("a wrong SOAP envelope namespace is refused, naming the namespace found and the expected ones")
    func wrongEnvelopeNamespace() {
        let error = soapRefusal(SOAPSample.envelope(envelopeNamespace: "http://example.com/soap"))
        #expect(error?.code == .wrongNamespace)
        #expect(error?.message.contains("http://example.com/soap") == true)
        #expect(error?.message.contains(SOAPSample.soap11NS) == true)
        #expect(error?.message.contains(SOAPSample.soap12NS) == true)
        #expect(soapRefusal("<PostRecurringInvoice xmlns=\"\(SOAPSample.joyce)\"/>")?.code == .wrongNamespace)
        #expect(soapRefusal("<Envelope><Body/></Envelope>")?.code == .wrongNamespace)
        let wrongBody = "<s:Envelope xmlns:s=\"\(SOAPSample.soap11NS)\"><b:Body xmlns:b=\"\(SOAPSample.soap12NS)\"/></s:Envelope>"
        #expect(soapRefusal(wrongBody)?.code == .wrongNamespace)
    }

    @Test("a PostRecurringInvoice, Header, Lines, line or field outside http://www.joycesoftware.com is refused")
    func wrongOperationNamespace() {
        let error = soapRefusal(SOAPSample.envelope(operationNamespace: "http://tempuri.org/"))
        #expect(error?.code == .wrongNamespace)
        #expect(error?.message.contains("http://tempuri.org/") == true)
        #expect(error?.message.contains("expected http://www.joycesoftware.com") == true)
        #expect(soapRefusal(SOAPSample.envelope(operationNamespace: "http://www.joycesoftware.com/"))?.code == .wrongNamespace)
        let base = SOAPSample.envelope(lines: 1)
        for (from, to) in [
            ("<Header>", "<Header xmlns=\"urn:other\">"), ("<Lines>", "<Lines xmlns=\"urn:other\">"),
            ("<RecurringInvoiceLine>", "<RecurringInvoiceLine xmlns=\"\">"), ("<Sku>SKU-1</Sku>", "<o:Sku xmlns:o=\"urn:o\">x</o:Sku>"),
        ] {
            let refusal = soapRefusal(base.replacingOccurrences(of: from, with: to))
            #expect(refusal?.code == .wrongNamespace, "\(to)")
        }
        #expect(soapRefusal(base.replacingOccurrences(of: "<Sku>SKU-1</Sku>", with: "<o:Sku xmlns:o=\"urn:o\">x</o:Sku>"))?.field == "RecurringInvoices[0].Lines[0].Sku")
    }

    @Test("an Envelope without a Body is refused as the wrong document")
    func missingBody() {
        #expect(soapRefusal("<s:Envelope xmlns:s=\"\(SOAPSample.soap11NS)\"></s:Envelope>")?.code == .wrongNamespace)
        #expect(soapRefusal("<s:Envelope xmlns:s=\"\(SOAPSample.soap12NS)\"><s:Header/></s:Envelope>")?.code == .wrongNamespace)
    }

    @Test("the Body must hold exactly one PostRecurringInvoice")
    func bodyContents() {
        let empty = "<s:Envelope xmlns:s=\"\(SOAPSample.soap11NS)\"><s:Body/></s:Envelope>"
        #expect(soapRefusal(empty)?.code == .invalidDocument)
        let op = "<PostRecurringInvoice xmlns=\"\(SOAPSample.joyce)\"><Header/></PostRecurringInvoice>"
        #expect(soapRefusal("<s:Envelope xmlns:s=\"\(SOAPSample.soap11NS)\"><s:Body>\(op)</s:Body></s:Envelope>") == nil)
        #expect(soapRefusal("<s:Envelope xmlns:s=\"\(SOAPSample.soap11NS)\"><s:Body>\(op)\(op)</s:Body></s:Envelope>")?.code == .invalidDocument)
        let other = "<PostInvoice xmlns=\"\(SOAPSample.joyce)\"/>"
        #expect(soapRefusal("<s:Envelope xmlns:s=\"\(SOAPSample.soap11NS)\"><s:Body>\(other)</s:Body></s:Envelope>")?.code == .invalidDocument)
        #expect(soapRefusal(SOAPSample.envelope().replacingOccurrences(of: "</soap:Body>", with: "</soap:Body><soap:Body/>"))?.code == .invalidDocument)
    }

    @Test("a missing Lines element stays absent, so the validator reports it like a JSON document's")
    func missingLines() throws {
        let op = "<PostRecurringInvoice xmlns=\"\(SOAPSample.joyce)\"><Header><Id>1</Id></Header></PostRecurringInvoice>"
        let value = try SOAPEnvelopeParser.parse(Array("<s:Envelope xmlns:s=\"\(SOAPSample.soap12NS)\"><s:Body>\(op)</s:Body></s:Envelope>".utf8))
        #expect(value == ["RecurringInvoices": [["Header": ["Id": "1"]]]])
    }

    @Test("fields must be leaves, appear once, and structure must hold no stray text")
    func structureRefusals() {
        let base = SOAPSample.envelope()
        let cases: [(String, String)] = [
            ("<Sku>SKU-2</Sku>", "<Sku><Code>SKU-2</Code></Sku>"),
            ("<DueDays>30</DueDays>", "<DueDays>30</DueDays><DueDays>31</DueDays>"),
            ("<Lines>", "<Header/><Lines>"), ("<Lines>", "<Lines>stray text"), ("<Lines>", "<Lines><Line/>"),
            ("</Lines>", "</Lines><Extra/>"), ("<ExpiryDate xsi:nil=\"true\" />", "<ExpiryDate xsi:nil=\"true\">x</ExpiryDate>"),
            ("<soap:Body>", "<Other/><soap:Body>"),
        ]
        for (from, to) in cases {
            let error = soapRefusal(base.replacingOccurrences(of: from, with: to))
            #expect(error?.code == .invalidDocument, "\(to)")
            #expect(error?.message.contains("at line ") == true, "\(to)")
        }
        let repeated = soapRefusal(base.replacingOccurrences(of: "<Sku>SKU-2</Sku>", with: "<Sku>SKU-2</Sku><Sku>x</Sku>"))
        #expect(repeated?.field == "RecurringInvoices[0].Lines[1].Sku")
    }

    @Test("SOAP header blocks are ignored unless they must be understood")
    func soapHeaderBlocks() {
        let harmless = "\n  <soap:Header><t:Trace xmlns:t=\"urn:t\"><t:Id>9</t:Id></t:Trace></soap:Header>"
        #expect(soapRefusal(SOAPSample.envelope(soapHeader: harmless)) == nil)
        let must = "\n  <soap:Header><t:Auth xmlns:t=\"urn:t\" soap:mustUnderstand=\"1\">x</t:Auth></soap:Header>"
        #expect(soapRefusal(SOAPSample.envelope(soapHeader: must))?.code == .invalidDocument)
    }

    @Test("truncated and malformed XML is refused with the line number")
    func malformed() {
        let text = SOAPSample.envelope()
        let half = String(text.prefix(text.count / 2))
        let truncated = soapRefusal(half)
        #expect(truncated?.code == .invalidDocument)
        #expect(truncated?.message.contains("at line \(half.split(separator: "\n", omittingEmptySubsequences: false).count)") == true)
        // Cut between elements, libxml2 says nothing; the reader notices the unclosed elements itself.
        let cut = String(text[..<text.range(of: "<Lines>")!.upperBound])
        #expect(soapRefusal(cut)?.message == "document ends early at line \(cut.split(separator: "\n").count)")
        let skuLine = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex(where: { $0.contains("</Sku>") })! + 1
        let mismatched = soapRefusal(text.replacingOccurrences(of: "</Sku>", with: "</Skuu>"))
        #expect(mismatched?.code == .invalidDocument)
        #expect(mismatched?.message.hasPrefix("malformed XML at line \(skuLine), column ") == true, "\(String(describing: mismatched))")
        for bad in ["", "hello", "<", "<a", "<s:Envelope xmlns:s=\"\(SOAPSample.soap11NS)\"><s:Body>",
                    text.replacingOccurrences(of: "PO-17", with: "&undefined;")] {
            #expect(soapRefusal(bad)?.code == .invalidDocument, "\(bad)")
        }
    }

    @Test("non-UTF-8 input is refused as an encoding error before parsing")
    func encodings() {
        var latin1 = Array(SOAPSample.envelope().utf8)
        latin1.insert(0xE9, at: latin1.firstIndex(of: UInt8(ascii: "H"))!)  // an ISO-8859-1 "é"
        let error = soapRefusal(bytes: latin1)
        #expect(error?.code == .invalidEncoding)
        #expect(error?.message.contains("byte offset") == true)
        let declared = SOAPSample.envelope().replacingOccurrences(of: "encoding=\"utf-8\"", with: "encoding='ISO-8859-1'")
        #expect(soapRefusal(declared)?.code == .invalidEncoding)
        let utf16 = Array(SOAPSample.envelope().utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(soapRefusal(bytes: utf16)?.code == .invalidEncoding)
        #expect(soapRefusal(bytes: [0xEF, 0xBB, 0xBF] + Array(SOAPSample.envelope().utf8)) == nil)
    }

    @Test("size limits: document bytes, 64 KiB per field, 1,000 lines")
    func limits() {
        let text = SOAPSample.envelope()
        #expect(soapRefusal(text, maxBytes: text.utf8.count) == nil)
        #expect(soapRefusal(text, maxBytes: text.utf8.count - 1)?.code == .documentTooLarge)
        let long = String(repeating: "x", count: 64 << 10)
        #expect(soapRefusal(text.replacingOccurrences(of: "PO-17", with: long)) == nil)
        let tooLong = soapRefusal(text.replacingOccurrences(of: "PO-17", with: long + "é"))
        #expect(tooLong?.code == .fieldTooLong)
        #expect(tooLong?.field == "RecurringInvoices[0].Header.CustomerReference")
        #expect(soapRefusal(SOAPSample.envelope(lines: 1_000)) == nil)
        #expect(soapRefusal(SOAPSample.envelope(lines: 1_001))?.code == .tooManyItems)
    }

    @Test("2,000 mutated envelopes: no crash, and every outcome is a value or a BillingError")
    func fuzz() {
        var random = SplitMix64(seed: 0x50A9)
        let sample = Array(SOAPSample.envelope(lines: 1).utf8)
        for _ in 0..<2_000 {
            _ = soapRefusal(bytes: ByteMutation.mutate(sample, using: &random))
        }
    }
}
