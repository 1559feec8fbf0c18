import TestSupport
import Testing
@testable import BillingDomain

/// ISO 11649 creditor references: `RF`, two check digits (ISO 7064 MOD 97-10), and a body of 1–21 letters and digits.
@Suite struct PaymentReferenceTests {
    static let digits = Array("0123456789")
    static let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// An independent MOD 97-10 oracle: spell the text out as the standard does (A = 10 … Z = 35, each letter
    /// becoming two digits), then reduce that digit string one digit at a time.
    static func oracleMod97(_ text: String) -> Int {
        let spelled = text.map { String(Int(String($0), radix: 36)!) }.joined()
        return spelled.reduce(0) { ($0 * 10 + Int(String($1))!) % 97 }
    }

    // MARK: Generation

    @Test func standardsPublishedExampleGetsCheckDigits18() {
        #expect(PaymentReference.creditorReference(for: "539007547034") == "RF18539007547034")
    }

    @Test(arguments: [
        ("1", "RF741"),
        ("a", "RF25A"),                                   // letters are upper-cased
        ("INV-2027-000042", "RF04INV2027000042"),         // check digits below 10 keep their leading zero
        ("ABCDEFGHIJKLMNOPQRSTU", "RF95ABCDEFGHIJKLMNOPQRSTU"),
    ])
    func referenceIsRFCheckDigitsAndUpperCasedBody(base: String, expected: String) {
        #expect(PaymentReference.creditorReference(for: base) == expected)
    }

    @Test func nonAlphanumericCharactersAreDroppedFromTheBody() {
        #expect(PaymentReference.creditorReference(for: "5390 0754-7034/") == "RF18539007547034")
        #expect(PaymentReference.creditorReference(for: "INV_2027.000042") == "RF04INV2027000042")
        // Non-ASCII letters and digits are not part of the ISO 11649 alphabet either.
        #expect(PaymentReference.creditorReference(for: "Ä539007547034٣") == "RF18539007547034")
    }

    @Test func bodyLongerThan21CharactersKeepsItsLast21() {
        let base = "XYZ" + "ABCDEFGHIJKLMNOPQRSTU"     // 24 characters
        let reference = PaymentReference.creditorReference(for: base)
        #expect(reference == "RF95ABCDEFGHIJKLMNOPQRSTU")
        #expect(reference.count == 25)
        // The truncation counts characters kept after filtering, not characters of the input.
        #expect(PaymentReference.creditorReference(for: "X-Y-Z-ABCDEFGHIJKLMNOPQRSTU") == "RF95ABCDEFGHIJKLMNOPQRSTU")
    }

    // MARK: Validation

    @Test(arguments: ["RF18 5390 0754 7034", "RF18539007547034", "rf18 5390 0754 7034", "RF741", "RF25A"])
    func wellFormedReferenceWithRightCheckDigitsIsValid(reference: String) {
        #expect(PaymentReference.isValid(reference))
    }

    @Test(arguments: [
        "RF18 5390 0754 7035",   // last body digit changed
        "RF18 5391 0754 7034",   // a body digit changed
        "RF81 5390 0754 7034",   // check digits swapped
        "RF19 5390 0754 7034",   // a check digit changed
        "RF18 5390 0754 7043",   // adjacent body digits swapped
        "RG18 5390 0754 7034",   // not the RF prefix
        "18 5390 0754 7034",     // no prefix at all
        "RF18",                  // no body
        "RF18 5390-0754-7034",   // separators other than spaces
        "RF18 5390 0754 703٤",   // a non-ASCII digit
        "",
    ])
    func malformedOrMistypedReferenceIsInvalid(reference: String) {
        #expect(!PaymentReference.isValid(reference))
    }

    @Test func referenceLongerThan25CharactersIsInvalidEvenWithRightCheckDigits() {
        // 22-character body: the check digits are right for it, but ISO 11649 allows at most 21.
        let body = "ABCDEFGHIJKLMNOPQRSTUV"
        let check = 98 - Self.oracleMod97(body + "RF00")
        let reference = "RF" + (check < 10 ? "0\(check)" : "\(check)") + body
        #expect(Self.oracleMod97(body + reference.prefix(4)) == 1)
        #expect(!PaymentReference.isValid(reference))
    }

    /// ISO 11649 check digits are two decimal digits. MOD 97-10 arithmetic alone would also accept some letters
    /// there (a letter counts as two digits), so the format check has to refuse them.
    @Test func letterInACheckDigitPositionIsInvalid() {
        // Both pass MOD 97-10 on their spelled-out value (Q8 → 268, 0V → 031), so only the format check can
        // refuse them.
        #expect(Self.oracleMod97("539007547034RFQ8") == 1)
        #expect(Self.oracleMod97("INV2027000042RF0V") == 1)
        #expect(!PaymentReference.isValid("RFQ8539007547034"))
        #expect(!PaymentReference.isValid("RF0VINV2027000042"))
    }

    // MARK: Properties

    /// Random bodies of 1–21 characters (a mix of digit-only and alphanumeric), drawn from fixed seeds.
    static func randomBody(_ random: inout SplitMix64) -> String {
        let length = random.int(in: 1...21)
        let alphabet = random.bool() ? digits : digits + letters
        return String((0..<length).map { _ in random.pick(alphabet) })
    }

    @Test(arguments: Array(UInt64(1)...UInt64(200)))
    func everyGeneratedReferenceIsValidAndAgreesWithTheOracle(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let body = Self.randomBody(&random)
        let reference = PaymentReference.creditorReference(for: body)
        let check = 98 - Self.oracleMod97(body + "RF00")
        #expect(reference == "RF" + (check < 10 ? "0\(check)" : "\(check)") + body, "seed \(seed)")
        #expect(PaymentReference.isValid(reference), "seed \(seed): \(reference)")
        // Grouped in fours, as printed on a payment slip, it stays valid.
        let grouped = stride(from: 0, to: reference.count, by: 4).map { start in
            String(reference.dropFirst(start).prefix(4))
        }.joined(separator: " ")
        #expect(PaymentReference.isValid(grouped), "seed \(seed): \(grouped)")
    }

    /// MOD 97-10 detects every single substitution of a digit by another digit and of a letter by another letter
    /// (the change is k·10^n with 0 < |k| < 97, never a multiple of 97). A digit ↔ letter swap changes the
    /// length of the spelled-out number, which the scheme does not guarantee to catch, so it is not asserted.
    @Test(arguments: Array(UInt64(1)...UInt64(100)))
    func everySingleSubstitutionWithinACharacterClassMakesTheReferenceInvalid(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let reference = Array(PaymentReference.creditorReference(for: Self.randomBody(&random)))
        for position in 2..<reference.count {
            let original = reference[position]
            let sameClass = original.isNumber ? Self.digits : Self.letters
            for replacement in sameClass where replacement != original {
                var changed = reference
                changed[position] = replacement
                #expect(!PaymentReference.isValid(String(changed)),
                        "seed \(seed): \(String(reference)) → \(String(changed))")
            }
        }
    }

    @Test(arguments: Array(UInt64(1)...UInt64(100)))
    func swappingTwoDifferentAdjacentDigitsMakesTheReferenceInvalid(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let reference = Array(PaymentReference.creditorReference(for: Self.randomBody(&random)))
        for position in 2..<(reference.count - 1)
        where reference[position] != reference[position + 1]
            && reference[position].isNumber && reference[position + 1].isNumber {
            var swapped = reference
            swapped.swapAt(position, position + 1)
            #expect(!PaymentReference.isValid(String(swapped)), "seed \(seed): \(String(reference)) → \(String(swapped))")
        }
    }
}
