/// What a message template sees: text, a list to repeat a section over, or a group of named values. Built per
/// message from the invoice; absent values are left out rather than empty, so a template's
/// `{{#seller.bankAccount}}…{{/seller.bankAccount}}` section shows only when there is one.
enum TemplateValue: Sendable, Equatable {
    case text(String)
    case list([TemplateValue])
    case group([String: TemplateValue])

    func child(_ name: String) -> TemplateValue? {
        guard case .group(let values) = self else { return nil }
        return values[name]
    }

    /// The text a variable tag prints.
    var printed: String {
        guard case .text(let text) = self else { return "" }
        return text
    }

    /// A group of the given texts, without the absent and the empty ones.
    static func present(_ pairs: KeyValuePairs<String, String?>) -> [String: TemplateValue] {
        var values: [String: TemplateValue] = [:]
        values.reserveCapacity(pairs.count)
        for (name, text) in pairs {
            if let text, !text.isEmpty { values[name] = .text(text) }
        }
        return values
    }

    /// The same values as swift-mustache's context (dictionaries of strings and arrays), for the templates it renders.
    var dynamic: Any {
        switch self {
        case .text(let text): return text
        case .list(let items): return items.map(\.dynamic)
        case .group(let values): return values.mapValues(\.dynamic)
        }
    }
}

extension TemplateValue: ExpressibleByDictionaryLiteral, ExpressibleByStringLiteral {
    init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .group(Dictionary(elements, uniquingKeysWith: { $1 }))
    }

    init(stringLiteral text: String) { self = .text(text) }
}
