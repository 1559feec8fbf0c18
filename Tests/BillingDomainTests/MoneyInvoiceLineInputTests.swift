import BillingDomain
import Testing

@Suite("InvoiceLineInput validation")
struct MoneyInvoiceLineInputTests {
    /// (quantity, unitPrice, unitCost, taxRate, discount, expected code, expected field)
    static let refusals: [(String, String, String, String, String, BillingError.Code, String)] = [
        ("0", "1", "0", "25", "0", .invalidQuantity, "Quantity"),
        ("-1", "1", "0", "25", "0", .invalidQuantity, "Quantity"),
        ("1000000.000001", "1", "0", "25", "0", .invalidQuantity, "Quantity"),
        ("0.0000001", "1", "0", "25", "0", .invalidQuantity, "Quantity"),
        ("1", "-0.01", "0", "25", "0", .invalidPrice, "UnitPrice"),
        ("1", "1000000000", "0", "25", "0", .invalidPrice, "UnitPrice"),
        ("1", "0.0000001", "0", "25", "0", .invalidPrice, "UnitPrice"),
        ("1", "1", "-1", "25", "0", .invalidPrice, "UnitCost"),
        ("1", "1", "1000000000", "25", "0", .invalidPrice, "UnitCost"),
        ("1", "1", "0.1234567", "25", "0", .invalidPrice, "UnitCost"),
        ("1", "1", "0", "-1", "0", .invalidTaxRate, "TaxRate"),
        ("1", "1", "0", "100.0001", "0", .invalidTaxRate, "TaxRate"),
        ("1", "1", "0", "7.12345", "0", .invalidTaxRate, "TaxRate"),
        ("1", "1", "0", "25", "-5", .invalidDiscount, "DiscountPercent"),
        ("1", "1", "0", "25", "101", .invalidDiscount, "DiscountPercent"),
        ("1", "1", "0", "25", "10.00001", .invalidDiscount, "DiscountPercent"),
    ]

    @Test("each field is checked against its range and precision", arguments: refusals.indices)
    func outOfRangeOrTooPreciseValuesAreRefusedWithCodeAndField(_ index: Int) {
        let (quantity, price, cost, rate, discount, code, field) = Self.refusals[index]
        #expect {
            _ = try moneyLine(quantity, price, rate: rate, discount: discount, cost: cost)
        } throws: { error in
            guard let error = error as? BillingError else { return false }
            return error.code == code && error.field == field
        }
    }

    @Test func messagesNameTheValueAndTheAllowedRange() throws {
        let error = try #require(throws: BillingError.self) { _ = try moneyLine("0", "1", rate: "25") }
        #expect(error.message.contains("Quantity 0"))
        #expect(error.message.contains("greater than 0 and at most 1000000"))
        let precision = try #require(throws: BillingError.self) { _ = try moneyLine("1", "1", rate: "7.12345") }
        #expect(precision.message.contains("7.12345"))
        #expect(precision.message.contains("at most 4"))
        #expect(precision.message.contains("from 0 to 100"))
    }

    @Test func boundaryValuesAreAccepted() throws {
        _ = try moneyLine("1000000", "999999999.999999", rate: "100", discount: "100", cost: "999999999.999999")
        _ = try moneyLine("0.000001", "0", rate: "0", discount: "0")
        // Trailing zeros do not count as precision.
        _ = try moneyLine("1.000000000", "2.5000000000", rate: "25.000000", discount: "10.00000")
    }

    @Test func storedValuesKeepTheirWrittenScale() throws {
        let line = try moneyLine("2.50", "499.00", rate: "25")
        #expect(line.quantity.description == "2.50")
        #expect(line.unitPrice.description == "499.00")
    }
}
