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
    /// The one string value that may be longer than `maxStringBytes`, named by the keys that lead to it.
    public var longString: LongString?

    /// `import` carries its document as base64 in `args.documentBase64` (up to 5.6 MB for the 4 MiB the import
    /// allows); the import bounds the decoded document itself, so that string is bounded only by the request,
    /// while every other string keeps the general limit.
    public struct LongString: Sendable, Equatable {
        public var path: [String]
        public var maxBytes: Int

        public init(path: [String], maxBytes: Int) {
            self.path = path
            self.maxBytes = maxBytes
        }
    }

    public init(
        maxBytes: Int = 4 << 20, maxDepth: Int = 32, maxStringBytes: Int = 64 << 10,
        maxContainerItems: Int = 100_000, maxTotalValues: Int = 2_000_000, longString: LongString? = nil
    ) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxContainerItems = maxContainerItems
        self.maxTotalValues = maxTotalValues
        self.longString = longString
    }
}
