/// Bounds on what one document may cost. Every request on the control socket goes through the parser, so a hostile
/// or broken client must not be able to make the daemon allocate without limit or recurse off its stack.
public struct JSONLimits: Sendable, Equatable {
    public var maxBytes: Int
    /// Deepest container nesting; the parser keeps its own stack, so this bounds memory, not the thread's stack.
    public var maxDepth: Int
    /// Longest string, key or number literal in UTF-8 bytes (after unescaping).
    public var maxStringBytes: Int
    /// Most elements in one array or members in one object.
    public var maxContainerItems: Int
    /// Most values in the whole document (containers and scalars).
    public var maxTotalValues: Int

    public init(
        maxBytes: Int = 4 << 20, maxDepth: Int = 32, maxStringBytes: Int = 64 << 10,
        maxContainerItems: Int = 100_000, maxTotalValues: Int = 2_000_000
    ) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxContainerItems = maxContainerItems
        self.maxTotalValues = maxTotalValues
    }
}
