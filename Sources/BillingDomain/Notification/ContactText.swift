/// The rule for text that ends up in a message's envelope or headers: customer names, e-mail addresses, phone
/// numbers, postal address lines.
///
/// None of them may hold a control character. A CR or LF in a name or address starts a header line of its own
/// (an extra `Bcc:`, a recipient list); a tab or NEL does the same in readers that are lenient about line ends.
/// Import and `resend --to` refuse such text when it arrives; the renderers replace it by a space in anything
/// another program wrote into the database.
public enum ContactText {
    /// C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    /// Whether `text` holds any character `isControl` names.
    public static func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: isControl)
    }
}
