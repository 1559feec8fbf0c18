import BillingDomain

/// The version of the control protocol: the request and answer types in `Messages/`, their field names and meaning.
///
/// It goes up when a change would make an older client or daemon misread the other (a field renamed, removed or
/// given another meaning); adding a command or an answer field does not change it. A request without a version
/// is a client from before versions were sent, and those spoke exactly version 1: it is taken as 1, never as
/// "whatever is current", so the day version 2 exists such a client is refused rather than misread.
public enum ControlProtocolVersion {
    public static let current = 1
    /// What a request without `"version"` is taken as.
    public static let unversioned = 1
    /// The versions this daemon answers.
    public static let supported: ClosedRange<Int> = 1...1

    /// VERSION_MISMATCH naming both versions, or nil when the request's version is one this daemon answers.
    public static func refusal(for requested: Int?) -> BillingError? {
        let version = requested ?? unversioned
        guard !supported.contains(version) else { return nil }
        let speaks = supported.count == 1 ? "version \(current)" : "versions \(supported.lowerBound)–\(supported.upperBound)"
        let advice = version > supported.upperBound
            ? "the client is newer than this billingd; use the billingctl that came with it or upgrade billingd"
            : "the client is older than this billingd; use the billingctl that came with it"
        return BillingError(
            .versionMismatch,
            "The request speaks control protocol version \(version); this billingd speaks \(speaks) (\(advice)).",
            field: "version")
    }
}
