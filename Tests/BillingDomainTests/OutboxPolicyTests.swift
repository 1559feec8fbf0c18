import BillingDomain
import Testing

@Suite("Retry policy and recipient checks")
struct OutboxPolicyTests {
    let policy = RetryPolicy(maxAttempts: 5, baseSeconds: 30, maxSeconds: 300)

    @Test func backoffDoublesPerAttemptUpToTheCapWithHalfOfItJitter() {
        for (attempt, full) in [(1, 30), (2, 60), (3, 120), (4, 240), (5, 300), (30, 300)] {
            #expect(policy.delay(afterAttempt: attempt, jitter: 0) == Int64(full / 2))
            #expect(policy.delay(afterAttempt: attempt, jitter: 0.999_999) == Int64(full) - 1 || full / 2 == 0)
        }
    }

    @Test func decisionsFollowTheFailureAndTheAttemptsLeft() {
        let transient = DeliveryFailure.transient(.timeout, "no answer")
        #expect(policy.decide(attempt: 1, failure: transient, now: 1_000, jitter: 0) == .retry(at: 1_015))
        #expect(policy.decide(attempt: 5, failure: transient, now: 1_000, jitter: 0) == .dead)
        #expect(policy.decide(attempt: 1, failure: .permanent(.smtpReply(550), "no"), now: 1_000, jitter: 0) == .failed)
        let limited = DeliveryFailure.transient(.httpStatus(429), "slow down", retryAfter: 120)
        #expect(policy.decide(attempt: 1, failure: limited, now: 1_000, jitter: 0.9) == .retry(at: 1_120),
                "Retry-After is honoured as given")
        #expect(policy.decide(attempt: 5, failure: limited, now: 1_000, jitter: 0) == .dead, "but buys no extra attempt")
    }

    @Test func emailAddressesAreCheckedConservatively() {
        for good in ["asa@example.com", "a.b+billing@mail.example.se", "x_y-z@sub-domain.example.org"] {
            #expect(RecipientAddress.isValidEmail(good), "\(good)")
        }
        for bad in ["", "asa", "asa@", "@example.com", "asa@@example.com", "a..b@example.com", ".a@example.com",
                    "asa@localhost", "asa@-example.com", "åsa@example.com", "a b@example.com",
                    "asa@example.com\r\nBcc: x@example.com", "asa@exa_mple.com"] {
            #expect(!RecipientAddress.isValidEmail(bad), "\(bad)")
        }
    }

    @Test func phoneNumbersAreNormalisedToE164() {
        #expect(RecipientAddress.normalizedPhone("+46 70 123 45 67") == "+46701234567")
        #expect(RecipientAddress.normalizedPhone("070-123 45 67") == "0701234567")
        #expect(RecipientAddress.normalizedPhone("+46 70 12a") == nil)
        #expect(RecipientAddress.normalizedPhone("12345") == nil)
        #expect(RecipientAddress.normalizedPhone("+1234567890123456") == nil)
    }
}
