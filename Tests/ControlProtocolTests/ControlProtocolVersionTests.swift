import BillingDomain
import ControlProtocol
import Testing

@Suite("Control protocol version")
struct ControlProtocolVersionTests {
    @Test func requestsCarryTheCurrentVersion() throws {
        let request = ControlRequest(command: "status")
        #expect(request.json.serialized() == #"{"command":"status","version":1,"args":{}}"#)
        #expect(try ControlRequest(json: request.json) == request)
    }

    @Test func aRequestWithoutVersionIsVersion1() throws {
        let request = try ControlRequest(json: ["command": "status"])
        #expect(request.version == nil)
        #expect(ControlProtocolVersion.refusal(for: request.version) == nil)
    }

    @Test func anotherVersionIsRefusedNamingBoth() throws {
        let newer = try #require(ControlProtocolVersion.refusal(for: 2))
        #expect(newer.code == .versionMismatch)
        #expect(newer.field == "version")
        #expect(newer.message.contains("version 2") && newer.message.contains("speaks version 1"))
        #expect(newer.message.contains("newer"))
        #expect(ControlProtocolVersion.refusal(for: 0)?.message.contains("older") == true)
    }

    @Test func aVersionThatIsNotAWholeNumberIsMalformed() {
        #expect(throws: BillingError.self) { try ControlRequest(json: ["command": "status", "version": "1"]) }
    }
}
