import BillingDomain
import ControlProtocol
import Testing

/// The Encoder to and Decoder from `JSONValue` that typed control messages go through.
@Suite("JSONValue Encoder and Decoder")
struct JSONValueCodingTests {
    struct Line: Codable, Equatable {
        var description: String?
        var quantity: Int
    }

    struct Document: Codable, Equatable {
        var number: String
        var total: Int64
        var paid: Bool
        var rate: String
        var note: String?
        var lines: [Line]
        var raw: JSONValue
    }

    static let document = Document(
        number: "INV-1", total: 9_223_372_036_854_775_807, paid: false, rate: "0.5", note: nil,
        lines: [Line(description: "Hosting", quantity: 2), Line(description: nil, quantity: -1)],
        raw: ["amount": .number("12345678901234567890.123456")])

    @Test func encodingKeepsDeclarationOrderAndWritesNilAsNull() throws {
        let json = try JSONValueEncoder().encode(Self.document)
        #expect(json.members?.map(\.key) == ["number", "total", "paid", "rate", "note", "lines", "raw"])
        #expect(json.serialized() == #"{"number":"INV-1","total":9223372036854775807,"paid":false,"rate":"0.5","#
            + #""note":null,"lines":[{"description":"Hosting","quantity":2},{"description":null,"quantity":-1}],"#
            + #""raw":{"amount":12345678901234567890.123456}}"#)
    }

    @Test func aValueSurvivesTheRoundTripThroughTheStrictParser() throws {
        let text = try JSONValueEncoder().encode(Self.document).serialized()
        let parsed = try JSONParser.parse(Array(text.utf8))
        #expect(try JSONValueDecoder.answers.decode(Document.self, from: parsed) == Self.document)
        #expect(try JSONValueDecoder.requests.decode(Document.self, from: parsed) == Self.document)
    }

    /// A field decoded with `decode(String?.self, …)` rather than `decodeIfPresent` (as generic wrappers do):
    /// null is nil, as with any Codable decoder; absent is still refused in an answer.
    struct Wrapped: Decodable, Equatable {
        var note: String?
        enum CodingKeys: String, CodingKey { case note }
        init(note: String?) { self.note = note }
        init(from decoder: any Decoder) throws {
            note = try decoder.container(keyedBy: CodingKeys.self).decode(String?.self, forKey: .note)
        }
    }

    @Test func nullDecodedAsAnOptionalIsNilAndAbsenceIsStillRefused() throws {
        #expect(try JSONValueDecoder.answers.decode(Wrapped.self, from: ["note": nil]) == Wrapped(note: nil))
        #expect(try JSONValueDecoder.answers.decode(Wrapped.self, from: ["note": "x"]) == Wrapped(note: "x"))
        let error = try #require(throws: BillingError.self) { try JSONValueDecoder.answers.decode(Wrapped.self, from: [:]) }
        #expect(error.field == "note")
        let number = try #require(throws: BillingError.self) {
            try JSONValueDecoder.answers.decode(Document.self, from: ["number": nil])
        }
        #expect(number.field == "number", "a null where a String is declared is still refused")
    }

    @Test func aMissingFieldIsRefusedNamingItsPath() throws {
        let json: JSONValue = ["number": "1", "total": 1, "paid": true, "rate": "1", "note": nil,
                               "lines": [["description": "x", "quantity": 1], ["description": "y"]], "raw": nil]
        let error = try #require(throws: BillingError.self) { try JSONValueDecoder.answers.decode(Document.self, from: json) }
        #expect(error.code == .invalidAnswer)
        #expect(error.field == "lines[1].quantity")
        #expect(error.message == "Field 'lines[1].quantity' is required.")
    }

    @Test func aWrongTypeIsRefusedNamingTheFieldAndBothTypes() throws {
        let json: JSONValue = ["number": 7, "total": 1, "paid": true, "rate": "1", "note": nil, "lines": [], "raw": 1]
        let error = try #require(throws: BillingError.self) { try JSONValueDecoder.requests.decode(Document.self, from: json) }
        #expect(error.code == .invalidRequest)
        #expect(error.field == "number")
        #expect(error.message == "Argument 'number' must be a string, not a number.")

        let fraction: JSONValue = ["number": "1", "total": .number("1.5"), "paid": true, "rate": "1", "note": nil,
                                   "lines": [], "raw": 1]
        let notWhole = try #require(throws: BillingError.self) {
            try JSONValueDecoder.answers.decode(Document.self, from: fraction)
        }
        #expect(notWhole.field == "total")
    }

    @Test func anAnswerMustNameAnOptionalFieldButARequestMayLeaveItOut() throws {
        let json: JSONValue = ["number": "1", "total": 1, "paid": true, "rate": "1", "lines": [], "raw": nil]
        let error = try #require(throws: BillingError.self) { try JSONValueDecoder.answers.decode(Document.self, from: json) }
        #expect(error.field == "note")
        #expect(try JSONValueDecoder.requests.decode(Document.self, from: json).note == nil)
    }

    @Test func aRequestWithAnUnknownFieldIsRefusedAnAnswerMayCarryMore() throws {
        let json: JSONValue = ["number": "1", "total": 1, "paid": true, "rate": "1", "note": nil,
                               "lines": [["description": "x", "quantity": 1, "colour": "red"]], "raw": nil]
        let error = try #require(throws: BillingError.self) { try JSONValueDecoder.requests.decode(Document.self, from: json) }
        #expect(error.code == .invalidRequest)
        #expect(error.field == "lines[0].colour")
        #expect(try JSONValueDecoder.answers.decode(Document.self, from: json).lines.count == 1)
        #expect(throws: BillingError.self) {
            try JSONValueDecoder.requests.decode(NoArguments.self, from: ["k": "v"])
        }
    }

    @Test func aRenamedAnswerFieldFailsDecoding() throws {
        var json = try JSONValueEncoder().encode(PaymentAnswer(
            paymentId: 1, amount: "10.00", duplicate: false, status: "Paid", paid: "10.00", balance: "0.00",
            currency: "SEK"))
        #expect(try JSONValueDecoder.answers.decode(PaymentAnswer.self, from: json).balance == "0.00")
        guard case .object(var members) = json else { Issue.record("not an object"); return }
        members[5].key = "remaining"
        json = .object(members)
        let error = try #require(throws: BillingError.self) { try JSONValueDecoder.answers.decode(PaymentAnswer.self, from: json) }
        #expect(error.field == "balance")
    }

    @Test func everyIntegerWidthIsWrittenAsItsLiteral() throws {
        struct Widths: Codable, Equatable { var a: Int8; var b: UInt16; var c: Int32; var d: UInt64 }
        let widths = Widths(a: -128, b: 65_535, c: -7, d: 18_446_744_073_709_551_615)
        let json = try JSONValueEncoder().encode(widths)
        #expect(json.serialized() == #"{"a":-128,"b":65535,"c":-7,"d":18446744073709551615}"#)
        #expect(try JSONValueDecoder.answers.decode(Widths.self, from: json) == widths)
        let overflow: JSONValue = ["a": 128, "b": 0, "c": 0, "d": 0]
        #expect(throws: BillingError.self) { try JSONValueDecoder.answers.decode(Widths.self, from: overflow) }
    }

    @Test func floatingPointIsNeitherWrittenNorReadSoNoAmountIsRoundedInTransit() throws {
        struct Rated: Codable { var rate: Double }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(Rated(rate: 0.1)) }
        let error = try #require(throws: BillingError.self) {
            try JSONValueDecoder.answers.decode(Rated.self, from: ["rate": .number("0.1")])
        }
        #expect(error.field == "rate")
    }

    @Test func orderedCountsAndErrorBodiesKeepTheWireShape() throws {
        let counts = StatusCounts([("Draft", 0), ("Due", 3), ("PastDue", 1)])
        let json = try JSONValueEncoder().encode(counts)
        #expect(json.serialized() == #"{"Draft":0,"Due":3,"PastDue":1}"#)
        #expect(try JSONValueDecoder.answers.decode(StatusCounts.self, from: json) == counts)

        let withoutField = try JSONValueEncoder().encode(ErrorBody(BillingError(.invoiceNotFound, "No invoice.")))
        #expect(withoutField.serialized() == #"{"code":"INVOICE_NOT_FOUND","message":"No invoice."}"#)
        let withField = ErrorBody(BillingError(.invalidField, "Bad.", field: "x"))
        #expect(try JSONValueDecoder.answers.decode(ErrorBody.self, from: JSONValueEncoder().encode(withField)) == withField)
    }
}
