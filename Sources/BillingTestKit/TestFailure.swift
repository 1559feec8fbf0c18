/// A check of the harness that did not hold (a daemon that did not start, a notification that did not come), with
/// a sentence that says what was expected and what happened instead.
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
