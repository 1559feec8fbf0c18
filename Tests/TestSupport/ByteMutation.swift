/// Byte-level damage a fuzz test does to a valid document: replaced, inserted and deleted bytes, truncation,
/// repeated runs. The bytes it writes favour JSON's punctuation and the bytes UTF-8 decoders trip on.
public enum ByteMutation {
    public static let interesting: [UInt8] = Array("{}[]:,\"\\-+.eE0123456789tfnu \n".utf8)
        + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xED, 0xEF, 0xF4, 0xFF]

    /// An interesting byte or any byte, half the time each.
    public static func randomByte(using rng: inout SplitMix64) -> UInt8 {
        Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
    }

    /// One to four byte-level mutations: replace, insert, delete, truncate, duplicate a run.
    public static func mutate(_ bytes: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var out = bytes
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let i = out.isEmpty ? 0 : Int.random(in: 0..<out.count, using: &rng)
            let byte = randomByte(using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0 where !out.isEmpty: out[i] = byte
            case 1: out.insert(byte, at: i)
            case 2 where !out.isEmpty: out.remove(at: i)
            case 3: out = Array(out[..<i])
            default:
                let run = out[i..<min(out.count, i + Int.random(in: 1...8, using: &rng))]
                out.insert(contentsOf: run, at: i)
            }
        }
        return out
    }
}
