import Testing
@testable import BillingDomain

/// Invoice number formats: literals, `{year}`, `{month}` and exactly one `{seq}`/`{seq:N}`.
@Suite struct InvoiceNumberFormatTests {
    static func date(_ text: String) -> LocalDate {
        guard let date = LocalDate(iso: text) else { fatalError("bad fixture \(text)") }
        return date
    }

    // MARK: Numbers

    @Test func defaultStyleFormatPadsTheSequenceToSixDigits() throws {
        let format = try InvoiceNumberFormat("INV-{year}-{seq:6}")
        #expect(format.number(for: Self.date("2027-03-01"), sequence: 42) == "INV-2027-000042")
        #expect(format.number(for: Self.date("2027-03-01"), sequence: 1) == "INV-2027-000001")
        #expect(format.number(for: Self.date("2027-03-01"), sequence: 999_999) == "INV-2027-999999")
        #expect(format.text == "INV-{year}-{seq:6}")
    }

    @Test func sequenceWiderThanItsFieldIsPrintedInFullNotTruncated() throws {
        let format = try InvoiceNumberFormat("INV-{year}-{seq:6}")
        #expect(format.number(for: Self.date("2027-03-01"), sequence: 1_234_567) == "INV-2027-1234567")
    }

    @Test func bareSeqHasNoPadding() throws {
        let format = try InvoiceNumberFormat("{seq}")
        #expect(format.number(for: Self.date("2027-03-01"), sequence: 7) == "7")
        #expect(format.number(for: Self.date("2027-03-01"), sequence: 1234) == "1234")
    }

    @Test func widthTwelveIsTheWidestAccepted() throws {
        let format = try InvoiceNumberFormat("{seq:12}")
        #expect(format.number(for: Self.date("2027-03-01"), sequence: 42) == "000000000042")
    }

    @Test(arguments: [
        ("2027-03-01", "F202703-0042"),
        ("2027-11-30", "F202711-0042"),
        ("2028-01-01", "F202801-0042"),
    ])
    func monthIsPrintedWithTwoDigits(date: String, expected: String) throws {
        let format = try InvoiceNumberFormat("F{year}{month}-{seq:4}")
        #expect(format.number(for: Self.date(date), sequence: 42) == expected)
    }

    @Test func sequenceMayComeFirstAndLiteralsMayUseUnderscoreSlashAndDot() throws {
        let format = try InvoiceNumberFormat("{seq:3}_A/b.{year}")
        #expect(format.number(for: Self.date("2027-03-01"), sequence: 5) == "005_A/b.2027")
    }

    // MARK: Series

    @Test func seriesIsTheFormatWithTheSequenceLeftOut() throws {
        let format = try InvoiceNumberFormat("INV-{year}-{seq:6}")
        #expect(format.series(for: Self.date("2027-03-01")) == "INV-2027-#")
    }

    @Test func yearFormatStartsANewSeriesEachYearButNotEachMonth() throws {
        let format = try InvoiceNumberFormat("INV-{year}-{seq:6}")
        let january = format.series(for: Self.date("2027-01-01"))
        let december = format.series(for: Self.date("2027-12-31"))
        let nextYear = format.series(for: Self.date("2028-01-01"))
        #expect(january == december)
        #expect(december != nextYear)
        #expect(nextYear == "INV-2028-#")
    }

    @Test func monthFormatStartsANewSeriesEachMonth() throws {
        let format = try InvoiceNumberFormat("F{year}{month}-{seq:4}")
        #expect(format.series(for: Self.date("2027-03-01")) == "F202703-#")
        #expect(format.series(for: Self.date("2027-03-31")) == "F202703-#")
        #expect(format.series(for: Self.date("2027-04-01")) == "F202704-#")
    }

    @Test func formatWithoutDateFieldsIsOneSeriesForever() throws {
        let format = try InvoiceNumberFormat("INV{seq:8}")
        #expect(format.series(for: Self.date("2027-03-01")) == "INV#")
        #expect(format.series(for: Self.date("2099-12-31")) == "INV#")
    }

    @Test func seriesDoesNotDependOnTheSequenceWidth() throws {
        // Numbers of two formats in one series differ only in the sequence part.
        let narrow = try InvoiceNumberFormat("INV-{year}-{seq}")
        let wide = try InvoiceNumberFormat("INV-{year}-{seq:6}")
        #expect(narrow.series(for: Self.date("2027-03-01")) == wide.series(for: Self.date("2027-03-01")))
    }

    // MARK: Refusals

    static func refusal(_ text: String) -> BillingError? {
        #expect(throws: BillingError.self) { try InvoiceNumberFormat(text) }
    }

    @Test(arguments: ["", "INV-{year}", "INV-{year}{month}", "INV-2027-000001"])
    func formatWithoutSeqIsRefused(text: String) {
        let error = Self.refusal(text)
        #expect(error?.code == .invalidConfig)
        #expect(error?.message.contains("exactly one {seq}") == true)
    }

    @Test(arguments: ["{seq}-{seq}", "INV-{seq:4}-{seq:6}", "{year}{seq}{month}{seq:2}"])
    func formatWithTwoSeqFieldsIsRefused(text: String) {
        let error = Self.refusal(text)
        #expect(error?.code == .invalidConfig)
        #expect(error?.message.contains("exactly one {seq}") == true)
    }

    @Test(arguments: [
        "INV-{day}-{seq}", "{Year}-{seq}", "{SEQ}", "{}", "{seq:0}", "{seq:13}", "{seq:x}", "{seq:}", "{seq: 6}",
        "{ seq}", "{year}{seq:-1}",
    ])
    func formatWithAnUnknownFieldIsRefusedNamingTheField(text: String) {
        let error = Self.refusal(text)
        #expect(error?.code == .invalidConfig)
        #expect(error?.message.contains("unknown field") == true)
        #expect(error?.message.contains(text) == true)
    }

    @Test(arguments: [
        "INV {seq}", "INV#{seq}", "INV–{seq}", "FAKTURA-Å-{seq}", "INV-{seq}}", "INV:{seq}", "INV-{seq}\n", "２０{seq}",
    ])
    func formatWithCharactersOutsideTheAllowedSetIsRefused(text: String) {
        let error = Self.refusal(text)
        #expect(error?.code == .invalidConfig)
        #expect(error?.message.contains("may hold only letters, digits") == true)
    }

    @Test(arguments: ["INV-{seq", "INV-{year}-{seq:6", "{", "INV-{seq}-{"])
    func formatWithAnUnclosedBraceIsRefused(text: String) {
        let error = Self.refusal(text)
        #expect(error?.code == .invalidConfig)
        #expect(error?.message.contains("unclosed {") == true)
    }
}
