import Testing
@testable import BillingDomain

/// Who is told about an invoice, on which channel, and why a channel was left out.
@Suite struct NotificationPolicyTests {
    static func customer(
        email: String? = nil, mobile: String? = nil, emailConsent: Bool? = nil, smsConsent: Bool = false,
        language: String? = "sv"
    ) -> Customer {
        Customer(id: 42, guid: "C-42", email: email, mobilePhone: mobile, emailConsent: emailConsent,
                 smsConsent: smsConsent, language: language)
    }

    static func plan(_ customer: Customer) -> (intents: [NotificationIntent], skipped: [NotificationSkip]) {
        NotificationPolicy.plan(kind: "invoice_issued", for: customer)
    }

    static func skips(_ plan: (intents: [NotificationIntent], skipped: [NotificationSkip]),
                      on channel: OutboxChannel) -> [BillingError.Code] {
        plan.skipped.filter { $0.channel == channel }.map(\.code)
    }

    // MARK: E-mail

    @Test func emailAddressWithUnrecordedConsentGetsAnEmail() {
        let plan = Self.plan(Self.customer(email: "anna@example.se", emailConsent: nil))
        #expect(plan.intents == [
            NotificationIntent(channel: .email, kind: "invoice_issued", recipient: "anna@example.se", language: "sv"),
        ])
        #expect(Self.skips(plan, on: .email).isEmpty)
    }

    @Test func emailAddressWithGivenConsentGetsAnEmail() {
        let plan = Self.plan(Self.customer(email: "anna@example.se", emailConsent: true))
        #expect(plan.intents.map(\.channel) == [.email])
        #expect(plan.intents.first?.recipient == "anna@example.se")
        #expect(Self.skips(plan, on: .email).isEmpty)
    }

    @Test func withdrawnEmailConsentSkipsEmailWithNoConsent() {
        let plan = Self.plan(Self.customer(email: "anna@example.se", emailConsent: false))
        #expect(plan.intents.isEmpty)
        #expect(Self.skips(plan, on: .email) == [.noConsent])
        #expect(Self.skips(plan, on: .email).first?.rawValue == "NO_CONSENT")
        #expect(plan.skipped.first { $0.channel == .email }?.reason == "The customer withdrew consent to e-mail.")
    }

    @Test(arguments: [nil, ""] as [String?])
    func missingOrEmptyEmailAddressSkipsEmailWithNoAddress(email: String?) {
        let plan = Self.plan(Self.customer(email: email, emailConsent: true))
        #expect(plan.intents.isEmpty)
        #expect(Self.skips(plan, on: .email) == [.noAddress])
        #expect(Self.skips(plan, on: .email).first?.rawValue == "NO_ADDRESS")
    }

    @Test func missingAddressIsReportedRatherThanWithdrawnConsent() {
        let plan = Self.plan(Self.customer(email: nil, emailConsent: false))
        #expect(Self.skips(plan, on: .email) == [.noAddress])
    }

    // MARK: SMS

    @Test func mobileWithSmsConsentGetsAnSms() {
        let plan = Self.plan(Self.customer(mobile: "+46701234567", smsConsent: true))
        #expect(plan.intents == [
            NotificationIntent(channel: .sms, kind: "invoice_issued", recipient: "+46701234567", language: "sv"),
        ])
        #expect(plan.skipped.map(\.channel) == [.email])      // only e-mail is missing
    }

    @Test func mobileWithoutSmsConsentSkipsSmsWithNoConsent() {
        let plan = Self.plan(Self.customer(email: "anna@example.se", mobile: "+46701234567", smsConsent: false))
        #expect(plan.intents.map(\.channel) == [.email])
        #expect(plan.skipped.map(\.channel) == [.sms])
        #expect(Self.skips(plan, on: .sms) == [.noConsent])
        #expect(plan.skipped.first?.reason == "The customer has not consented to SMS notifications.")
    }

    @Test(arguments: [nil, ""] as [String?])
    func smsConsentWithoutMobileSkipsSmsWithNoAddress(mobile: String?) {
        let plan = Self.plan(Self.customer(email: "anna@example.se", mobile: mobile, smsConsent: true))
        #expect(plan.intents.map(\.channel) == [.email])
        #expect(plan.skipped.map(\.channel) == [.sms])
        #expect(Self.skips(plan, on: .sms) == [.noAddress])
    }

    /// Missing consent is the reason given whenever there is no consent, with or without a number: the history
    /// then says why no SMS went out even for customers who never gave a number.
    @Test(arguments: [nil, ""] as [String?])
    func noSmsConsentIsReportedAsNoConsentEvenWithoutAMobile(mobile: String?) {
        let plan = Self.plan(Self.customer(email: "anna@example.se", mobile: mobile, smsConsent: false))
        #expect(plan.intents.map(\.channel) == [.email])
        #expect(Self.skips(plan, on: .sms) == [.noConsent])
    }

    // MARK: Both channels

    @Test func customerReachableEverywhereGetsEmailThenSmsInTheirLanguage() {
        let plan = NotificationPolicy.plan(
            kind: "reminder_1",
            for: Self.customer(email: "anna@example.se", mobile: "+46701234567", emailConsent: true,
                               smsConsent: true, language: "fi"))
        #expect(plan.intents == [
            NotificationIntent(channel: .email, kind: "reminder_1", recipient: "anna@example.se", language: "fi"),
            NotificationIntent(channel: .sms, kind: "reminder_1", recipient: "+46701234567", language: "fi"),
        ])
        #expect(plan.skipped.isEmpty)
    }

    @Test func customerWithoutLanguageGetsIntentsWithoutLanguage() {
        let plan = Self.plan(Self.customer(email: "anna@example.se", language: nil))
        #expect(plan.intents.first?.language == nil)
        #expect(plan.intents.count == 1)
    }

    @Test func customerReachableNowhereGetsNoIntentsAndBothChannelsReported() {
        let plan = Self.plan(Self.customer(email: "anna@example.se", mobile: "+46701234567", emailConsent: false,
                                           smsConsent: false))
        #expect(plan.intents.isEmpty)
        #expect(plan.skipped.map(\.channel) == [.email, .sms])
        #expect(plan.skipped.map(\.code) == [.noConsent, .noConsent])
    }

    @Test func postIsNeverPlanned() {
        let plan = Self.plan(Self.customer(email: "anna@example.se", mobile: "+46701234567", smsConsent: true))
        #expect(!plan.intents.contains { $0.channel == .post })
        #expect(!plan.skipped.contains { $0.channel == .post })
    }

    /// Every combination: e-mail needs an address and no withdrawn consent, SMS a mobile and consent; each channel
    /// gets an intent or a skip with the reason, never both and never neither.
    @Test(arguments: [nil, "", "anna@example.se"] as [String?], [nil, "", "+46701234567"] as [String?])
    func eachChannelIsEitherPlannedOrExplainedExactlyOnce(email: String?, mobile: String?) {
        for emailConsent in [nil, true, false] as [Bool?] {
            for smsConsent in [false, true] {
                let customer = Self.customer(email: email, mobile: mobile, emailConsent: emailConsent,
                                             smsConsent: smsConsent)
                let plan = Self.plan(customer)
                let context = "\(String(describing: email)) \(String(describing: mobile)) \(String(describing: emailConsent)) \(smsConsent)"
                let hasEmail = !(email ?? "").isEmpty
                let hasMobile = !(mobile ?? "").isEmpty
                let emailIntent = plan.intents.contains { $0.channel == .email }
                let emailSkip = plan.skipped.first { $0.channel == .email }
                #expect(emailIntent == (hasEmail && emailConsent != false), "\(context)")
                #expect(emailSkip?.code == (!hasEmail ? .noAddress : emailConsent == false ? .noConsent : nil), "\(context)")
                let smsIntent = plan.intents.contains { $0.channel == .sms }
                let smsSkip = plan.skipped.first { $0.channel == .sms }
                #expect(smsIntent == (hasMobile && smsConsent), "\(context)")
                let expectedSmsSkip: BillingError.Code? = !smsConsent ? .noConsent : hasMobile ? nil : .noAddress
                #expect(smsSkip?.code == expectedSmsSkip, "\(context)")
                // Exactly one entry per channel, intent or skip.
                #expect(plan.intents.count + plan.skipped.count == 2, "\(context)")
                #expect(Set(plan.intents.map(\.channel) + plan.skipped.map(\.channel)) == [.email, .sms], "\(context)")
            }
        }
    }
}
