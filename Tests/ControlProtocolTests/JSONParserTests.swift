import BillingDomain
import ControlProtocol
import Testing

/// Parses `text`, returning the refusal (or nil when it parsed). Any error that is not a `BillingError` is recorded
/// as a failure: the control socket turns BillingErrors into answers, anything else would be an internal error.
func jsonRefusal(_ text: String, limits: JSONLimits = .init()) -> BillingError? {
    jsonRefusal(bytes: Array(text.utf8), limits: limits)
}

func jsonRefusal(bytes: [UInt8], limits: JSONLimits = .init()) -> BillingError? {
    do {
        _ = try JSONParser.parse(bytes, limits: limits)
        return nil
    } catch let error as BillingError {
        return error
    } catch {
        Issue.record("not a BillingError: \(error)")
        return nil
    }
}

@Suite("JSON parser")
struct JSONParserTests {
    @Test("parses every kind of value, keeping member order and key lines")
    func parsesAllKinds() throws {
        let text = """
            {"z": null, "y": true, "x": false,
             "w": -12.5e3, "v": "text", "u": [1, [], {}],
              "t": {"inner": "\\u00e9\\n"}}
            """
        let value = try JSONParser.parse(text)
        let expected: JSONValue = [
            "z": nil, "y": true, "x": false, "w": .number("-12.5e3"), "v": "text", "u": [1, [], [:]],
            "t": ["inner": "é\n"],
        ]
        #expect(value == expected)
        #expect(value.members?.map(\.key) == ["z", "y", "x", "w", "v", "u", "t"])
        #expect(value.members?.map(\.line) == [1, 1, 1, 2, 2, 2, 3])
        #expect(value["t"]?.members?.first?.line == 3)
    }

    @Test("top-level scalars are documents too (RFC 8259)", arguments: ["1", "\"s\"", "null", "true", " false "])
    func topLevelScalars(text: String) {
        #expect(jsonRefusal(text) == nil)
    }

    @Test("number literals are kept exactly as written, never converted to Double")
    func exactNumbers() throws {
        let value = try JSONParser.parse(#"{"a": 861.85, "b": 12345678901234567890.123456, "c": -0, "d": 1E-7, "e": 2e+10, "f": 0.10}"#)
        #expect(value["a"] == .number("861.85"))
        #expect(value["b"] == .number("12345678901234567890.123456"))
        #expect(value["c"] == .number("-0"))
        #expect(value["d"] == .number("1E-7"))
        #expect(value["e"] == .number("2e+10"))
        #expect(value["f"] == .number("0.10"))
        #expect(value.serialized() == #"{"a":861.85,"b":12345678901234567890.123456,"c":-0,"d":1E-7,"e":2e+10,"f":0.10}"#)
    }

    @Test("number grammar is strict: no leading zeros, '+', bare dots, NaN or Infinity",
          arguments: ["01", "-01", "+1", "1.", ".5", "-", "1e", "1e+", "--1", "0x10", "NaN", "Infinity", "-Infinity", "1.5.3", "[1.]", "[-]"])
    func invalidNumbers(text: String) {
        #expect(jsonRefusal(text)?.code == .invalidDocument)
    }

    @Test("string escapes, including surrogate pairs, decode to the right scalars")
    func escapes() throws {
        let value = try JSONParser.parse(#"["\"\\\/\b\f\n\r\t", "\u0041\u00E9\u20ac", "\ud83d\ude00", "\u0000"]"#)
        #expect(value == ["\"\\/\u{8}\u{C}\n\r\t", "Aé€", "😀", "\u{0}"])
    }

    @Test("lone surrogates are refused", arguments: [#""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, #""\ud800x""#, #""\udbff\udbff""#])
    func loneSurrogates(text: String) {
        let error = jsonRefusal(text)
        #expect(error?.code == .invalidDocument)
        #expect(error?.message.contains("surrogate") == true)
    }

    @Test("raw control characters and unknown escapes in strings are refused",
          arguments: ["\"a\tb\"", "\"a\nb\"", "\"\u{1f}\"", #""\x""#, #""\u12G4""#, #""\'""#])
    func badStrings(text: String) {
        #expect(jsonRefusal(text)?.code == .invalidDocument)
    }

    @Test("comments, trailing commas, single quotes and bare words are refused",
          arguments: ["[1] // c", "/* c */ [1]", "[1,]", #"{"a":1,}"#, "['a']", "{a: 1}", "[1 2]", #"{"a" 1}"#, "[,1]",
                      "{,}", "[undefined]", "tru", "nul", "True", "[1,,2]", #"{"a":1 "b":2}"#])
    func nonStandardSyntax(text: String) {
        #expect(jsonRefusal(text)?.code == .invalidDocument)
    }

    @Test("duplicate keys in one object are refused and named; the same key in sibling objects is fine")
    func duplicateKeys() throws {
        let error = jsonRefusal(#"{"UnitPrice": "1.00", "Quantity": 1, "UnitPrice": "2.00"}"#)
        #expect(error?.code == .invalidDocument)
        #expect(error?.field == "UnitPrice")
        #expect(error?.message.contains("duplicate member \"UnitPrice\" at line 1, column 38") == true)
        #expect(jsonRefusal(#"[{"a": 1}, {"a": 2}, {"b": {"a": 3}}]"#) == nil)
        // Large objects switch to a set for the check; it must still catch duplicates.
        let many = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        #expect(jsonRefusal("{\(many)}") == nil)
        #expect(jsonRefusal("{\(many), \"k39\": 0}")?.code == .invalidDocument)
        #expect(jsonRefusal("{\(many), \"k3\": 0}")?.code == .invalidDocument)
    }

    @Test("content after the document is refused", arguments: ["{} x", "1 2", "[] []", "nullx", "\"a\"\"b\"", "{}}"])
    func trailingContent(text: String) {
        #expect(jsonRefusal(text)?.code == .invalidDocument)
    }

    @Test("a truncated document says where it ends early")
    func truncated() {
        let error = jsonRefusal("{\"a\": [1,\n 2,\n ")
        #expect(error?.code == .invalidDocument)
        #expect(error?.message == "document ends early at line 3, column 2")
        for text in ["", "   ", "{", "[", "{\"a\"", "{\"a\":", "\"abc", "\"a\\", "\"\\u12", "[1", "-", "1e", "t", "\"\\ud800"] {
            #expect(jsonRefusal(text)?.message.hasPrefix("document ends early at line 1") == true, "\(text)")
        }
    }

    @Test("error messages name line and column")
    func lineAndColumn() {
        #expect(jsonRefusal("{\n  \"a\": tru,\n}")?.message == "invalid literal (expected 'true') at line 2, column 8")
        #expect(jsonRefusal("[\n1,\n\"é\", x]")?.message == "unexpected 'x', expected a value at line 3, column 6")
        #expect(jsonRefusal("[1]\n  2")?.message == "unexpected '2' after the document at line 2, column 3")
    }

    @Test("a UTF-8 byte order mark at the start is skipped, anywhere else it is refused")
    func byteOrderMark() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("{\"a\": 1}".utf8)) == ["a": 1])
        #expect(jsonRefusal(bytes: [0x20, 0xEF, 0xBB, 0xBF, 0x31])?.code == .invalidDocument)
    }

    @Test("invalid UTF-8 is refused as an encoding error naming the byte offset")
    func invalidUTF8() {
        let latin1: [UInt8] = Array("{\"name\": \"caf".utf8) + [0xE9] + Array("\"}".utf8)
        let error = jsonRefusal(bytes: latin1)
        #expect(error?.code == .invalidEncoding)
        #expect(error?.message.contains("byte offset 13") == true)
        #expect(error?.message.contains("line 1, column 14") == true)
        let bad: [[UInt8]] = [
            [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22],
            [0x22, 0xE2, 0x82, 0x22], [0x22, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE0, 0x80, 0x80, 0x22],
            [0xFF], [0x22, 0xE2, 0x82],
        ]
        for bytes in bad { #expect(jsonRefusal(bytes: bytes)?.code == .invalidEncoding, "\(bytes)") }
        #expect(jsonRefusal(bytes: [0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22]) == nil)
    }

    @Test("a document over maxBytes is refused before it is read")
    func documentTooLarge() {
        let limits = JSONLimits(maxBytes: 10)
        #expect(jsonRefusal("[1,2,3,4,5]", limits: limits)?.code == .documentTooLarge)
        #expect(jsonRefusal("[1,2,3,45]", limits: limits) == nil)
        #expect(jsonRefusal("[" + String(repeating: "1,", count: 3 << 20) + "1]")?.code == .documentTooLarge)
    }

    @Test("nesting up to maxDepth is accepted, deeper is refused without recursion")
    func depth() {
        let ok = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        #expect(jsonRefusal(ok) == nil)
        let tooDeep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
        #expect(jsonRefusal(tooDeep)?.code == .invalidDocument)
        #expect(jsonRefusal(tooDeep)?.message.contains("nested deeper than 32") == true)
        #expect(jsonRefusal(String(repeating: "{\"a\":", count: 200_000))?.code == .invalidDocument)
        #expect(jsonRefusal(String(repeating: "[", count: 4_000_000))?.code == .invalidDocument)
    }

    @Test("strings, keys and number literals longer than maxStringBytes are refused")
    func longStrings() {
        let limits = JSONLimits(maxStringBytes: 8)
        #expect(jsonRefusal("\"12345678\"", limits: limits) == nil)
        #expect(jsonRefusal("\"123456789\"", limits: limits)?.code == .fieldTooLong)
        #expect(jsonRefusal("\"1234567\\n9\"", limits: limits)?.code == .fieldTooLong)
        #expect(jsonRefusal("\"éééé\"", limits: limits) == nil)
        #expect(jsonRefusal("\"ééééé\"", limits: limits)?.code == .fieldTooLong)
        #expect(jsonRefusal("{\"123456789\": 1}", limits: limits)?.code == .fieldTooLong)
        #expect(jsonRefusal("123456789", limits: limits)?.code == .fieldTooLong)
        #expect(jsonRefusal("\"" + String(repeating: "a", count: 65_537) + "\"")?.code == .fieldTooLong)
    }

    @Test("containers with more than maxContainerItems and documents over maxTotalValues are refused")
    func tooManyItems() {
        let limits = JSONLimits(maxContainerItems: 3, maxTotalValues: 10)
        #expect(jsonRefusal("[1,2,3]", limits: limits) == nil)
        #expect(jsonRefusal("[1,2,3,4]", limits: limits)?.code == .tooManyItems)
        #expect(jsonRefusal(#"{"a":1,"b":2,"c":3,"d":4}"#, limits: limits)?.code == .tooManyItems)
        #expect(jsonRefusal("[[1,2,3],[1,2,3],[1,2]]", limits: limits)?.code == .tooManyItems)
        #expect(jsonRefusal("[[1,2,3],[1,2,3]]", limits: limits) == nil)
    }

    @Test("parsing from a String, a byte array, a slice and a non-contiguous collection agree")
    func inputKinds() throws {
        let text = #"{"a": [1, "b"]}"#
        let bytes = Array(text.utf8)
        let expected = try JSONParser.parse(text)
        #expect(try JSONParser.parse(bytes) == expected)
        #expect(try JSONParser.parse(([0x20] + bytes)[1...]) == expected)
        #expect(try JSONParser.parse(text.utf8) == expected)
        #expect(try JSONParser.parse(Set([UInt8(ascii: "1")])) == 1)
        #expect(try JSONParser.parse(bytes.lazy.map { $0 }) == expected)
    }
}
