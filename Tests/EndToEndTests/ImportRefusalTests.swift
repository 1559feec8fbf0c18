import BillingTestKit
import ControlProtocol
import Foundation
import Testing

/// A valid JSON import document with three lines; each refusal case below breaks exactly one thing in it.
func jsonDocument(
    header: [String: String] = [:], line2: [String: String] = [:], extraTemplate: String? = nil
) -> String {
    var h: [(String, String)] = [
        ("RecordGuid", #""t-refuse""#), ("CustomerGUID", #""c-1""#), ("RepeatVery", #""Monthly""#),
        ("RunDate", #""2027-01-31T09:00:00""#), ("NextRunDate", #""2027-01-31T09:00:00""#), ("DueDays", "30"),
        ("Currency", #""SEK""#), ("CurrencyRate", #""0.0875""#), ("TimeZone", #""Europe/Stockholm""#),
        ("TotalExcVat", #""700.00""#),
    ]
    for (key, value) in header.sorted(by: { $0.key < $1.key }) {
        if let index = h.firstIndex(where: { $0.0 == key }) {
            if value == "<absent>" { h.remove(at: index) } else { h[index].1 = value }
        } else {
            h.append((key, value))
        }
    }
    var l: [(String, String)] = [
        ("LineGuid", #""l-3""#), ("ProductDescription", #""Support""#), ("Quantity", "2"), ("UnitPrice", #""100.00""#),
        ("TaxRate", "25"),
    ]
    for (key, value) in line2.sorted(by: { $0.key < $1.key }) {
        if let index = l.firstIndex(where: { $0.0 == key }) { l[index].1 = value } else { l.append((key, value)) }
    }
    func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }
    let template = """
        {"Header": \(object(h)),
         "Lines": [
          {"LineGuid": "l-1", "ProductDescription": "Hosting", "Quantity": 1, "UnitPrice": "300.00", "TaxRate": 25},
          {"LineGuid": "l-2", "ProductDescription": "Storage", "Quantity": "100", "UnitPrice": "2.00", "TaxRate": 25},
          \(object(l))
         ]}
        """
    return """
        {"Customers": [{"CustomerGUID": "c-1", "FirstName": "Ada", "Email": "ada@example.com"}],
         "RecurringInvoices": [\(template)\(extraTemplate.map { ", " + $0 } ?? "")]}
        """
}

/// The seed's SOAP envelope (one line), with the namespaces and prologue as parameters.
func soapDocument(
    envelopeNamespace: String = "http://schemas.xmlsoap.org/soap/envelope/",
    operationNamespace: String = "http://www.joycesoftware.com", prologue: String = "", quantity: String = "1"
) -> String {
    """
    <?xml version="1.0" encoding="utf-8"?>
    \(prologue)<soap:Envelope xmlns:soap="\(envelopeNamespace)">
      <soap:Body>
        <PostRecurringInvoice xmlns="\(operationNamespace)">
          <Header>
            <RecordGuid>t-soap</RecordGuid><CustomerGUID>c-soap</CustomerGUID><RepeatVery>Monthly</RepeatVery>
            <RunDate>2027-01-31T09:00:00</RunDate><NextRunDate>2027-01-31T09:00:00</NextRunDate><DueDays>30</DueDays>
          </Header>
          <Lines>
            <RecurringInvoiceLine>
              <LineGuid>l-1</LineGuid><Quantity>\(quantity)</Quantity><UnitPrice>10.00</UnitPrice><TaxRate>25</TaxRate>
            </RecurringInvoiceLine>
          </Lines>
        </PostRecurringInvoice>
      </soap:Body>
    </soap:Envelope>
    """
}

struct RefusalCase: CustomTestStringConvertible, Sendable {
    let name: String
    let document: [UInt8]
    let code: String
    /// A fragment the error message must contain (the field path, a value, a line).
    let mentions: String

    init(_ name: String, _ document: String, _ code: String, mentions: String) {
        self.init(name, Array(document.utf8), code, mentions: mentions)
    }

    init(_ name: String, _ document: [UInt8], _ code: String, mentions: String) {
        self.name = name
        self.document = document
        self.code = code
        self.mentions = mentions
    }

    var testDescription: String { name }
}

let refusalCases: [RefusalCase] = [
    .init("unknown RepeatVery", jsonDocument(header: ["RepeatVery": #""Montly""#]), "INVALID_REPEAT",
          mentions: "RecurringInvoices[0].Header.RepeatVery"),
    .init("zero quantity", jsonDocument(line2: ["Quantity": "0"]), "INVALID_QUANTITY",
          mentions: "RecurringInvoices[0].Lines[2].Quantity"),
    .init("negative quantity", jsonDocument(line2: ["Quantity": "-1"]), "INVALID_QUANTITY",
          mentions: "Lines[2].Quantity"),
    .init("negative price", jsonDocument(line2: ["UnitPrice": #""-100.00""#]), "INVALID_PRICE",
          mentions: "Lines[2].UnitPrice"),
    .init("tax rate above 100", jsonDocument(line2: ["TaxRate": "101"]), "INVALID_TAX_RATE",
          mentions: "Lines[2].TaxRate"),
    .init("negative tax rate", jsonDocument(line2: ["TaxRate": "-1"]), "INVALID_TAX_RATE",
          mentions: "Lines[2].TaxRate"),
    .init("locale decimal comma", jsonDocument(line2: ["UnitPrice": #""249,00""#]), "INVALID_NUMBER",
          mentions: "249,00"),
    .init("exponent number", jsonDocument(line2: ["Quantity": "1e2"]), "INVALID_NUMBER",
          mentions: "Lines[2].Quantity"),
    .init("missing NextRunDate", jsonDocument(header: ["NextRunDate": "<absent>"]), "MISSING_FIELD",
          mentions: "Header.NextRunDate"),
    .init("missing RunDate", jsonDocument(header: ["RunDate": "<absent>"]), "MISSING_FIELD",
          mentions: "Header.RunDate"),
    .init("duplicate LineGuid", jsonDocument(line2: ["LineGuid": #""l-1""#]), "DUPLICATE_LINE",
          mentions: "Lines[2].LineGuid"),
    .init("unknown currency", jsonDocument(header: ["Currency": #""XYZ""#]), "INVALID_CURRENCY",
          mentions: "XYZ"),
    .init("unknown time zone", jsonDocument(header: ["TimeZone": #""Mars/Phobos""#]), "INVALID_TIME_ZONE",
          mentions: "Mars/Phobos"),
    .init("header total disagrees", jsonDocument(header: ["TotalExcVat": #""699.99""#]), "TOTALS_MISMATCH",
          mentions: "700.00"),
    .init("oversized field", jsonDocument(line2: ["ProductDescription": "\"" + String(repeating: "x", count: 5_000) + "\""]),
          "FIELD_TOO_LONG", mentions: "Lines[2].ProductDescription"),
    .init("oversized document", "{\"Customers\": [" + String(repeating: "{\"CustomerGUID\": \"c\"},", count: 250_000) + "]}",
          "DOCUMENT_TOO_LARGE", mentions: "4"),
    .init("unknown field", jsonDocument(header: ["PricesIncludeVAT": "true"]), "UNKNOWN_FIELD",
          mentions: "PricesIncludeVAT"),
    .init("truncated JSON", String(jsonDocument().dropLast(40)), "INVALID_DOCUMENT", mentions: "line"),
    .init("non-UTF-8 JSON", Array(jsonDocument().utf8).map { $0 == UInt8(ascii: "H") ? 0xC9 : $0 }, "INVALID_ENCODING",
          mentions: "UTF-8"),
    .init("second template bad, first good", jsonDocument(extraTemplate: """
        {"Header": {"RecordGuid": "t-2", "CustomerGUID": "c-1", "RepeatVery": "Weekly", "RunDate": "2027-01-01",
                    "NextRunDate": "2027-01-01"},
         "Lines": [{"LineGuid": "x", "Quantity": 1, "UnitPrice": "1.00", "TaxRate": 250}]}
        """), "INVALID_TAX_RATE", mentions: "RecurringInvoices[1].Lines[0].TaxRate"),
    .init("SOAP with a DTD and external entity",
          soapDocument(prologue: "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"), "DTD_FORBIDDEN",
          mentions: "DOCTYPE"),
    .init("SOAP operation in another namespace", soapDocument(operationNamespace: "http://example.com/billing"),
          "WRONG_NAMESPACE", mentions: "http://www.joycesoftware.com"),
    .init("SOAP envelope in another namespace", soapDocument(envelopeNamespace: "http://example.com/envelope"),
          "WRONG_NAMESPACE", mentions: "envelope"),
    .init("SOAP non-positive quantity", soapDocument(quantity: "0"), "INVALID_QUANTITY", mentions: "Lines[0].Quantity"),
    .init("truncated SOAP", String(soapDocument().prefix(400)), "INVALID_DOCUMENT", mentions: "line"),
    .init("SOAP in Latin-1", Array(soapDocument().utf8).map { $0 == UInt8(ascii: "M") ? 0xE9 : $0 }, "INVALID_ENCODING",
          mentions: "UTF-8"),
]

@Suite("Import refusals against the real daemon")
struct ImportRefusalTests {
    @Test("a refused import has a stable code, names the field, stores nothing, and the daemon keeps serving",
          arguments: refusalCases)
    func refusedImportChangesNothing(_ refusal: RefusalCase) throws {
        let daemon = try DaemonProcess()
        let before = try daemon.dump()
        let result = try daemon.ctl("--json", "import", "-", input: Data(refusal.document))
        #expect(result.exitCode == 1, "\(refusal.name): \(result.stdout) \(result.stderr)")
        let error = try result.json()["error"]
        #expect(error?["code"]?.stringValue == refusal.code, "\(refusal.name): \(result.stdout)")
        #expect(error?["message"]?.stringValue?.contains(refusal.mentions) == true, "\(refusal.name): \(result.stdout)")
        #expect(try daemon.dump() == before, "\(refusal.name) changed the database")
        #expect(try daemon.ctl("status").exitCode == 0)
        #expect(daemon.stop() == 0)
    }
}
