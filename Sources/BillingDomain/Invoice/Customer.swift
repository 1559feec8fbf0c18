/// A billed party (002_4aa1e99df782f876.txt), addressed by its CustomerGUID.
public struct Customer: Sendable, Hashable {
    public var id: Int64?
    public var guid: String
    public var firstName: String?
    public var lastName: String?
    public var companyName: String?
    public var email: String?
    public var mobilePhone: String?
    /// nil when the source never recorded an e-mail consent; then an address alone allows e-mail.
    public var emailConsent: Bool?
    public var smsConsent: Bool
    public var language: String?
    public var address: PostalAddress

    public init(
        id: Int64? = nil, guid: String, firstName: String? = nil, lastName: String? = nil,
        companyName: String? = nil, email: String? = nil, mobilePhone: String? = nil, emailConsent: Bool? = nil,
        smsConsent: Bool = false, language: String? = nil, address: PostalAddress = PostalAddress()
    ) {
        self.id = id
        self.guid = guid
        self.firstName = firstName
        self.lastName = lastName
        self.companyName = companyName
        self.email = email
        self.mobilePhone = mobilePhone
        self.emailConsent = emailConsent
        self.smsConsent = smsConsent
        self.language = language
        self.address = address
    }

    /// The name printed on invoices: the company if there is one, else the person.
    public var displayName: String {
        if let companyName, !companyName.isEmpty { return companyName }
        let person = [firstName, lastName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return person.isEmpty ? guid : person
    }
}

public struct PostalAddress: Sendable, Hashable {
    public var line1: String?
    public var line2: String?
    public var postalCode: String?
    public var city: String?
    public var country: String?

    public init(
        line1: String? = nil, line2: String? = nil, postalCode: String? = nil, city: String? = nil,
        country: String? = nil
    ) {
        self.line1 = line1
        self.line2 = line2
        self.postalCode = postalCode
        self.city = city
        self.country = country
    }
}
