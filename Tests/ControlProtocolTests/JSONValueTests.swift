import BillingDomain
import ControlProtocol
import Testing

@Suite("JSON values and serialization")
struct JSONValueTests {
    @Test("literals build the matching cases and dictionary literals keep their order")
    func literals() {
        let value: JSONValue = ["b": nil, "a": true, "c": 7, "d": "x", "e": [1, "2"]]
        #expect(value == .object([
            JSONMember(key: "b", value: .null), JSONMember(key: "a", value: .bool(true)),
            JSONMember(key: "c", value: .number("7")), JSONMember(key: "d", value: .string("x")),
            JSONMember(key: "e", value: .array([.number("1"), .string("2")])),
        ]))
        #expect(value.members?.map(\.key) == ["b", "a", "c", "d", "e"])
        #expect(JSONValue.number(-42) == .number("-42"))
        #expect(JSONValue(12) == .number("12"))
    }

    @Test("accessors return values only for the matching case")
    func accessors() {
        let value: JSONValue = ["s": "text", "b": false, "n": 42, "f": .number("1.0"), "e": .number("1e2"),
                                "big": .number("99999999999999999999"), "a": [1, 2], "z": nil]
        #expect(value["s"]?.stringValue == "text")
        #expect(value["b"]?.boolValue == false)
        #expect(value["n"]?.intValue == 42)
        #expect(value["f"]?.intValue == nil)
        #expect(value["e"]?.intValue == nil)
        #expect(value["big"]?.intValue == nil)
        #expect(value["s"]?.intValue == nil)
        #expect(value["n"]?.stringValue == nil)
        #expect(value["f"]?.numberLiteral == "1.0")
        #expect(value["a"]?.arrayValue == [1, 2])
        #expect(value["a"]?[1] == 2)
        #expect(value["a"]?[2] == nil)
        #expect(value["z"]?.isNull == true)
        #expect(value["s"]?.isNull == false)
        #expect(value["missing"] == nil)
        #expect(JSONValue.string("x")["key"] == nil)
        #expect(value.members?.count == 8)
        #expect(value.arrayValue == nil)
    }

    @Test("member equality ignores the source line")
    func memberEquality() {
        #expect(JSONMember(key: "a", value: 1, line: 3) == JSONMember(key: "a", value: 1, line: 9))
        #expect(JSONMember(key: "a", value: 1) != JSONMember(key: "b", value: 1))
        #expect(JSONMember(key: "a", value: 1) != JSONMember(key: "a", value: 2))
    }

    @Test("compact serialization keeps member order and writes numbers as-is on one line")
    func compact() {
        let value: JSONValue = ["z": [1, .number("861.85"), nil, true], "a": [:], "m": [], "é": "ü"]
        #expect(value.serialized() == #"{"z":[1,861.85,null,true],"a":{},"m":[],"é":"ü"}"#)
        #expect(value.description == value.serialized())
    }

    @Test("pretty serialization indents by two spaces")
    func pretty() {
        let value: JSONValue = ["a": [1, ["b": nil]], "c": [], "d": [:]]
        let expected = """
            {
              "a": [
                1,
                {
                  "b": null
                }
              ],
              "c": [],
              "d": {}
            }
            """
        #expect(value.serialized(pretty: true) == expected)
    }

    @Test("strings escape quotes, backslashes and control characters, and keep non-ASCII as UTF-8")
    func escaping() {
        let value = JSONValue.string("q\"b\\n\nt\tr\r\u{8}\u{C}\u{1f}\u{0}é😀/\u{7f}")
        #expect(value.serialized() == #""q\"b\\n\nt\tr\r\b\f\u001f\u0000é😀/\#u{7f}""#)
    }

    @Test("serialized values parse back to equal values, compact and pretty")
    func roundTrip() throws {
        let value: JSONValue = [
            "RecurringInvoices": [[
                "Header": ["RecordGuid": "t-1", "DueDays": 30, "CurrencyRate": .number("1.000000"), "EndDate": nil,
                           "PricesIncludeVat": false, "CustomerNotes": "Line 1\nLine \"2\"\t\\ é 😀 \u{1}"],
                "Lines": [["UnitPrice": "499.00", "Quantity": .number("12345678901234567890.123456")], [:]],
            ]],
            "Empty": [],
        ]
        #expect(try JSONParser.parse(value.serialized()) == value)
        #expect(try JSONParser.parse(value.serialized(pretty: true)) == value)
    }

    @Test("canonical compact text survives parse and serialize unchanged")
    func textRoundTrip() throws {
        let texts = [
            #"{"a":[1,-0.5,1E+2,true,false,null],"b":{"c":"\"\\\n\u001f"},"d":"é"}"#,
            "[]", "{}", "0", #""""#, #"[[[[{"x":[]}]]]]"#,
        ]
        for text in texts { #expect(try JSONParser.parse(text).serialized() == text) }
    }
}
