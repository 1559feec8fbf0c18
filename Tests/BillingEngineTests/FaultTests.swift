@testable import BillingEngine
import BillingDomain
import Foundation
import Testing

@Suite("Faults: backoff and the board")
struct FaultTests {
    @Test func failedCyclesAreRetriedAfterOneTwoFourUpToSixtySeconds() {
        let waits = (1...9).map { FaultBackoff.seconds(afterFailures: $0) }
        #expect(waits == [1, 2, 4, 8, 16, 32, 60, 60, 60])
        #expect(FaultBackoff.seconds(afterFailures: 10_000) == 60)
    }

    @Test func aFaultIsRaisedOnceLastsUntilClearedAndKeepsItsStartWhileItsCodeStaysTheSame() {
        let board = FaultBoard()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(board.raise("cycle", code: "DATABASE_LOCKED", message: "first", at: start) != nil)
        #expect(board.raise("cycle", code: "DATABASE_LOCKED", message: "again", at: start + 5) == nil)
        #expect(board.current.map(\.since) == [start] && board.current.map(\.message) == ["again"])
        let changed = board.raise("cycle", code: "DATABASE_FULL", message: "full", at: start + 9)
        #expect(changed?.since == start + 9, "a new cause is a new fault")
        #expect(board.clear("cycle")?.code == "DATABASE_FULL")
        #expect(board.clear("cycle") == nil)
        #expect(board.current.isEmpty)
    }

    @Test func theCycleFaultIsListedBeforeChannelFaults() {
        let board = FaultBoard()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        _ = board.raise("sms", code: "TIMEOUT", message: "", at: now)
        _ = board.raise("cycle", code: "DATABASE_FULL", message: "", at: now)
        _ = board.raise("email", code: "CONNECTION_FAILED", message: "", at: now)
        #expect(board.current.map(\.scope) == ["cycle", "email", "sms"])
    }

    @Test func aFaultIsNamedAfterTheStorageCauseElseTheErrorCode() {
        let locked = BillingError(.storageError, "locked", cause: .databaseLocked)
        #expect(BillingEngine.faultCode(locked).0 == "DATABASE_LOCKED")
        #expect(BillingEngine.faultCode(BillingError(.invalidConfig, "bad")).0 == "INVALID_CONFIG")
        #expect(BillingEngine.faultCode(DeliveryFailure.transient(.connectionFailed, "refused")).0 == "CONNECTION_FAILED")
    }
}
