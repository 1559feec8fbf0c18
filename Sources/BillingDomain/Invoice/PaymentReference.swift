/// Structured creditor references (ISO 11649, "RF" references) printed on invoices and quoted by payers.
///
/// The check digits let a bank or the payer's app reject a mistyped reference before the money moves, so a
/// payment can be matched to its invoice without a human reading the remittance text.
public enum PaymentReference {
    /// `RF` + two check digits + the reference body (letters and digits of `base`, at most 21 of them).
    public static func creditorReference(for base: String) -> String {
        let body = String(base.uppercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.suffix(21))
        let check = 98 - mod97(body + "RF00")
        return "RF" + (check < 10 ? "0\(check)" : "\(check)") + body
    }

    /// True when `reference` is a well-formed RF reference whose check digits are right.
    public static func isValid(_ reference: String) -> Bool {
        let compact = reference.uppercased().filter { $0 != " " }
        guard compact.count >= 5, compact.count <= 25, compact.hasPrefix("RF"),
              compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
              // Check digits are two decimal digits; a letter there could still satisfy MOD 97-10.
              compact.dropFirst(2).prefix(2).allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        let rearranged = String(compact.dropFirst(4)) + String(compact.prefix(4))
        return mod97(rearranged) == 1
    }

    /// The ISO 7064 MOD 97-10 remainder, letters counting as 10 (A) … 35 (Z).
    static func mod97(_ text: String) -> Int {
        var remainder = 0
        for character in text {
            guard let value = character.hexDigitValue ?? letterValue(character) else { continue }
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97
        }
        return remainder
    }

    private static func letterValue(_ c: Character) -> Int? {
        guard let ascii = c.asciiValue, ascii >= 65, ascii <= 90 else { return nil }
        return Int(ascii) - 55
    }
}
