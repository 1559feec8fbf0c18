/// The buyer as an invoice names them: the customer's name and billing address at issue.
///
/// An issued invoice keeps it (EU VAT Directive art. 226: the customer's full name and address), so a customer
/// who moves or changes name later does not change an invoice already sent, nor its PDF rendered again.
public struct InvoiceBuyer: Sendable, Hashable {
    public var name: String
    public var address: PostalAddress

    public init(name: String, address: PostalAddress) {
        self.name = name
        self.address = address
    }

    public init(_ customer: Customer) {
        self.init(name: customer.displayName, address: customer.address)
    }

    /// The address as printed: street lines, postal code and city on one line, country; empty parts left out.
    public var addressLines: [String] {
        let cityLine = [address.postalCode, address.city].compactMap { $0 }.filter { !$0.isEmpty }
            .joined(separator: " ")
        return [address.line1, address.line2, cityLine, address.country].compactMap { $0 }.filter { !$0.isEmpty }
    }
}
