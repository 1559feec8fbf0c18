import Mustache

/// Named values a template looks into (`{{invoice.number}}`, `{{#seller}}…{{/seller}}`): swift-mustache asks for a
/// name when a tag needs it (`MustacheParent`), so a message's values are never copied into dictionaries. Printed as
/// a variable (`{{invoice}}`) a group is empty rather than Swift's debug text of it.
protocol TemplateGroup: MustacheParent, MustacheCustomRenderable {}

extension TemplateGroup {
    var renderText: String { "" }
    var isNull: Bool { false }
}
