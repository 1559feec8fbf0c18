import Mustache

/// A list a template section repeats over (`{{#invoice.lines}}…{{/invoice.lines}}`). Printed as a variable it is
/// empty, as a group is, rather than Swift's debug text of the elements; swift-mustache's list transforms
/// (`{{count(invoice.lines)}}`, `first`, `empty`, …) work on it as on an array.
struct TemplateList<Element>: MustacheSequence, MustacheCustomRenderable, MustacheTransformable {
    let elements: [Element]

    init(_ elements: [Element]) { self.elements = elements }

    func makeIterator() -> IndexingIterator<[Element]> { elements.makeIterator() }

    var renderText: String { "" }
    var isNull: Bool { false }

    func transform(_ name: String) -> Any? { elements.transform(name) }
}
