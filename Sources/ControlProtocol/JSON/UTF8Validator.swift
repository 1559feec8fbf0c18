/// Strict UTF-8 validation that reports *where* the input goes wrong.
///
/// The standard library can tell whether bytes are valid UTF-8 but not at which offset they stop being so, and a
/// refusal that says "byte 1042" lets the sender find the Latin-1 `é` in their export. Shared by the JSON parser and
/// the SOAP import, which must both refuse non-UTF-8 input before interpreting it.
public enum UTF8Validator {
    /// The offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode 15, table 3-7: no
    /// overlong forms, no surrogates, nothing above U+10FFFF, no truncated sequences), or nil when all is valid.
    public static func firstInvalidOffset(in buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = buffer.count
        guard count > 0, let base = buffer.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i < count {
            // ASCII fast path, eight bytes at a time: control requests are almost entirely ASCII.
            while i &+ 8 <= count, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i &+= 8
            }
            guard i < count else { break }
            let lead = base[i]
            if lead < 0x80 {
                i &+= 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80  // allowed range of the second byte
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0  // no overlong 3-byte forms
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F  // no UTF-16 surrogates
            case 0xF0: length = 4; low = 0x90  // no overlong 4-byte forms
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F  // nothing above U+10FFFF
            default: return i  // continuation byte without a lead, C0/C1 overlongs, F5...FF
            }
            guard i &+ length <= count else { return i }
            let second = base[i &+ 1]
            guard second >= low && second <= high else { return i }
            var k = 2
            while k < length {
                guard base[i &+ k] & 0xC0 == 0x80 else { return i }
                k &+= 1
            }
            i &+= length
        }
        return nil
    }

    public static func firstInvalidOffset(in bytes: some Collection<UInt8>) -> Int? {
        if let result = bytes.withContiguousStorageIfAvailable({ firstInvalidOffset(in: $0) }) { return result }
        return Array(bytes).withUnsafeBufferPointer { firstInvalidOffset(in: $0) }
    }

    /// 1-based line and column (counted in Unicode scalars, so an `é` is one column) of a byte offset, for messages.
    public static func lineAndColumn(of offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var i = 0
        let end = min(offset, buffer.count)
        while i < end {
            let b = buffer[i]
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return (line, column)
    }
}
