import BillingTestKit
import ControlProtocol
import Foundation
import Testing

@Suite("Log lines on stderr")
struct LogLineTests {
    /// Refused imports are logged with the offending text in the message and the field path in the metadata;
    /// a newline in either must not start a line of its own, which journald would read with its `<N>` priority.
    @Test func logLinesEscapeNewlinesSoCustomerTextCannotForgeAPriority() throws {
        let daemon = try DaemonProcess()
        let badRepeat = jsonDocument(header: ["RepeatVery": #""Weekly\n<0>forged in the message\r\n<1>again""#])
        #expect(try daemon.ctl("import", "-", input: Data(badRepeat.utf8)).exitCode == 1)
        let badKey = #"{"Customers": [{"CustomerGUID": "c-1", "x\n<2>forged in the metadata\u0085": 1}]}"#
        #expect(try daemon.ctl("import", "-", input: Data(badKey.utf8)).exitCode == 1)
        daemon.stop()
        let lines = daemon.log().utf8.split(separator: 10).map { String(decoding: $0, as: UTF8.self) }
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(line.hasPrefix("<"), "every line starts with its own priority: \(line)")
            #expect(!line.contains("forged") || line.hasPrefix("<4>import refused"), "\(line)")
            #expect(!line.unicodeScalars.contains { $0.properties.generalCategory == .control },
                    "no control characters: \(line.debugDescription)")
        }
        let log = daemon.log()
        #expect(log.contains(#"Weekly\n<0>forged in the message\r\n<1>again"#), "escaped, still readable")
        #expect(log.contains(#"x\n<2>forged in the metadata\u{85}"#))
    }
}
