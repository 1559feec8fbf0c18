import Mustache

/// A text value as templates see it. swift-mustache would take a plain `String` too, but then asks of each one, at
/// every tag, whether it is a template, a lambda or an optional, prints it through `String(describing:)`, and
/// reflects it with `Mirror` when a tag inside its section looks a name up in it; this type answers all of that
/// itself. swift-mustache's text transforms (`{{uppercased(invoice.currency)}}`, …) work on it as on a `String`.
struct TemplateText: MustacheParent, MustacheCustomRenderable, MustacheTransformable {
    let text: String

    init(_ text: String) { self.text = text }

    /// The text, or nil when it is absent or empty: a section on it stays shut.
    init?(present text: String?) {
        guard let text, !text.isEmpty else { return nil }
        self.text = text
    }

    /// A text has no names below it.
    func child(named name: String) -> Any? { nil }

    var renderText: String { text }
    var isNull: Bool { false }

    func transform(_ name: String) -> Any? { text.transform(name) }
}
