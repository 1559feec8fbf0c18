import BillingDomain
import ControlProtocol
import Foundation
import TestSupport
import Testing


/// Random documents built from pieces that exercise the parser's branches: escapes, non-ASCII, extreme numbers.
struct JSONFuzzer {
    var rng: SplitMix64

    static let stringPieces = ["a", "Hosting", "é", "😀", "€", "\"", "\\", "\n", "\t", "\u{0}", "\u{1f}", "/", " ", "\u{2028}", "\u{FEFF}"]
    static let numberPieces = ["0", "-0", "1", "861.85", "12345678901234567890.123456", "1e3", "-2.5E-7", "9223372036854775808", "0.000"]

    mutating func string() -> String {
        (0..<Int.random(in: 0...6, using: &rng)).map { _ in Self.stringPieces.randomElement(using: &rng)! }.joined()
    }

    mutating func value(depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<(depth > 4 ? 5 : 7), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .number(Self.numberPieces.randomElement(using: &rng)!)
        case 3: return .number(String(Int.random(in: Int.min...Int.max, using: &rng)))
        case 4: return .string(string())
        case 5: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in value(depth: depth + 1) })
        default:
            var members: [JSONMember] = []
            for i in 0..<Int.random(in: 0...4, using: &rng) {
                members.append(JSONMember(key: "\(string())#\(i)", value: value(depth: depth + 1)))  // keys stay unique
            }
            return .object(members)
        }
    }

    mutating func randomByte() -> UInt8 { ByteMutation.randomByte(using: &rng) }

    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] { ByteMutation.mutate(bytes, using: &rng) }
}

@Suite("JSON parser robustness")
struct JSONFuzzTests {
    @Test("10,000 random and mutated documents: no crash, and every outcome is a value or a BillingError")
    func fuzz() {
        var fuzzer = JSONFuzzer(rng: SplitMix64(seed: 0x5EED_B111))
        var parsed = 0, refused = 0
        for round in 0..<10_000 {
            let value = fuzzer.value()
            let text = Array(value.serialized(pretty: round % 3 == 0).utf8)
            let input: [UInt8]
            switch round % 4 {
            case 0:
                // Unmutated: must round-trip exactly.
                #expect((try? JSONParser.parse(text)) == value, "round \(round)")
                input = text
            case 1: input = (0..<Int.random(in: 0...64, using: &fuzzer.rng)).map { _ in fuzzer.randomByte() }  // noise
            default: input = fuzzer.mutate(text)
            }
            do {
                _ = try JSONParser.parse(input, limits: JSONLimits(maxDepth: 8, maxStringBytes: 64, maxContainerItems: 5))
                parsed += 1
            } catch is BillingError {
                refused += 1
            } catch {
                Issue.record("round \(round): unexpected error type \(error)")
            }
        }
        #expect(parsed + refused == 10_000)
        #expect(parsed > 2_500 && refused > 2_500)  // the generator really exercises both outcomes
    }

    @Test("pathological inputs are refused quickly, without recursion or unbounded work")
    func pathological() {
        let cases: [String] = [
            String(repeating: "[", count: 1 << 20), String(repeating: "{\"a\":[", count: 100_000),
            "\"" + String(repeating: "\\u0041", count: 200_000) + "\"", String(repeating: "\\", count: 1 << 20),
            "[" + String(repeating: "0,", count: 1 << 20) + "0]", String(repeating: " ", count: 1 << 20),
        ]
        for text in cases {
            let start = ContinuousClock.now
            #expect(jsonRefusal(text) != nil)
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }
}
