/// Fixed 128-bit MESSAGE_IDs of key journal events (explained in deploy/billingd.catalog).
public enum JournalMessageID {
    public static let invoiceGenerated = "5d1f2a8e3c9b4f6a8e7d0c1b2a3f4e5d"
    public static let invoicePastDue = "a3c5e7f9b1d3458f9a2c4e6b8d0f1a3c"
    public static let notificationSent = "7e9a1c3e5b7d4f9182a4c6e8f0b2d4f6"
    public static let notificationFailed = "c1e3a5b7d9f14b3d8f5a7c9e1b3d5f7a"
    public static let templatePaused = "e5b7d9f1a3c54e7a9c1e3b5d7f9a1c3e"
    public static let importRefused = "0b2d4f6a8c0e4a2c9e4f6a8b0d2c4e6f"
    public static let faultRaised = "be3ad2cc6f314469a435f0a1755a146e"
    public static let faultCleared = "308d0076fe3041c4b18c1ff36b3fca58"
}
