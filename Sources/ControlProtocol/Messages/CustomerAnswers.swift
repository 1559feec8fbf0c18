/// `customers list`: one page of customers, newest first.
public struct CustomerListAnswer: Codable, Sendable, Equatable {
    public var customers: [CustomerAnswer]
    public var next: String?

    public init(customers: [CustomerAnswer], next: String?) {
        self.customers = customers
        self.next = next
    }
}

/// A customer in the import document's field names (also the answer of `customers show`).
public struct CustomerAnswer: Codable, Sendable, Equatable {
    public var id: Int64?
    public var customerGUID: String
    public var firstName: String?
    public var lastName: String?
    public var companyName: String?
    public var email: String?
    public var mobilePhoneNumber: String?
    public var emailConsent: Bool?
    public var smsConsent: Bool
    public var language: String?
    public var addressLine1: String?
    public var addressLine2: String?
    public var postalCode: String?
    public var city: String?
    public var country: String?

    public init(
        id: Int64?,
        customerGUID: String,
        firstName: String?,
        lastName: String?,
        companyName: String?,
        email: String?,
        mobilePhoneNumber: String?,
        emailConsent: Bool?,
        smsConsent: Bool,
        language: String?,
        addressLine1: String?,
        addressLine2: String?,
        postalCode: String?,
        city: String?,
        country: String?
    ) {
        self.id = id
        self.customerGUID = customerGUID
        self.firstName = firstName
        self.lastName = lastName
        self.companyName = companyName
        self.email = email
        self.mobilePhoneNumber = mobilePhoneNumber
        self.emailConsent = emailConsent
        self.smsConsent = smsConsent
        self.language = language
        self.addressLine1 = addressLine1
        self.addressLine2 = addressLine2
        self.postalCode = postalCode
        self.city = city
        self.country = country
    }

    enum CodingKeys: String, CodingKey {
        case id
        case customerGUID = "CustomerGUID"
        case firstName = "FirstName"
        case lastName = "LastName"
        case companyName = "CompanyName"
        case email = "Email"
        case mobilePhoneNumber = "MobilePhoneNumber"
        case emailConsent = "EmailConsent"
        case smsConsent = "SmsConsent"
        case language = "Language"
        case addressLine1 = "AddressLine1"
        case addressLine2 = "AddressLine2"
        case postalCode = "PostalCode"
        case city = "City"
        case country = "Country"
    }
}
