import BillingDomain

extension FieldReader {
    /// Refuses a customer whose name or address fields hold a control character (a CR or LF there would start a
    /// header line of its own in the e-mails sent to it), or whose e-mail address or mobile number the sender
    /// would refuse: the same `RecipientAddress` rules, so such a customer is refused on arrival, not at send time.
    func checkContactFields(of customer: Customer) throws {
        let fields: [(String, String?)] = [
            ("CustomerGUID", customer.guid), ("FirstName", customer.firstName), ("LastName", customer.lastName),
            ("CompanyName", customer.companyName), ("Email", customer.email), ("MobilePhoneNumber", customer.mobilePhone),
            ("AddressLine1", customer.address.line1), ("AddressLine2", customer.address.line2),
            ("PostalCode", customer.address.postalCode), ("City", customer.address.city),
            ("Country", customer.address.country), ("Language", customer.language),
        ]
        for (name, value) in fields where value.map(ContactText.hasControl) == true {
            throw error(.invalidField, name, "contains a control character (a line break, tab, …); it must be one line of text")
        }
        if let email = customer.email, let refusal = RecipientAddress.refusal(email, via: .email) {
            throw error(.invalidField, "Email", "'\(email)' \(refusal)")
        }
        if let mobile = customer.mobilePhone, let refusal = RecipientAddress.refusal(mobile, via: .sms) {
            throw error(.invalidField, "MobilePhoneNumber", "'\(mobile)' \(refusal)")
        }
    }
}
