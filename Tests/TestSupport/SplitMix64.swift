/// SplitMix64 (Steele, Lea & Flood 2014): a tiny generator fully determined by its seed, so a failing property
/// or fuzz case is replayed from the seed printed with it, on any toolchain. Ranges are drawn with our own
/// arithmetic, not `Int.random(in:using:)`, whose algorithm the standard library does not promise to keep.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform enough for tests (modulo bias is below 2^-40 for the small ranges tests draw from).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % (UInt64(range.upperBound - range.lowerBound) + 1))
    }

    public mutating func bool() -> Bool { next() & 1 == 1 }

    public mutating func pick<T>(_ items: [T]) -> T { items[int(in: 0...(items.count - 1))] }

    public mutating func chance(_ percent: Int) -> Bool { int(in: 1...100) <= percent }
}
