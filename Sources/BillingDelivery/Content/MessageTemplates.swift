import BillingDomain
import Foundation
import Mustache

/// The Mustache templates of `config/templates/`: `<language>/<kind>.<part>.mustache`, where part is `subject`,
/// `text`, `html` or `sms`.
///
/// A kind `reminder_2` uses `reminder_2.*` when present and `reminder.*` otherwise, so one reminder text serves
/// every dunning level unless an operator writes a sharper second one. A language without the template falls back
/// to English, so a customer with an unusual language still gets a message.
public struct MessageTemplates: Sendable {
    public static let fallbackLanguage = "en"
    public let directory: String
    /// Every template, parsed once at load.
    private let library: MustacheLibrary

    /// Loads every `*.mustache` file below `directory`. Subject, text and SMS parts are plain text: nothing in
    /// them is HTML-escaped (a customer called "Smith & Sons" stays that way); HTML parts escape as usual.
    public init(directory: String) throws {
        self.directory = directory
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw DeliveryFailure.transient(.templatesMissing, "The template folder \(directory) cannot be read.")
        }
        var library = MustacheLibrary()
        for case let path as String in enumerator where path.hasSuffix(".mustache") {
            let name = String(path.dropLast(".mustache".count))
            guard let data = FileManager.default.contents(atPath: directory + "/" + path),
                  var text = String(data: data, encoding: .utf8) else {
                throw DeliveryFailure.transient(.templateInvalid, "Template \(path) is not readable UTF-8 text.")
            }
            if !name.hasSuffix(".html") { text = "{{% CONTENT_TYPE: TEXT}}" + text }
            do {
                try library.register(text, named: name)
            } catch {
                throw DeliveryFailure.transient(.templateInvalid, "Template \(path) does not parse: \(error).")
            }
        }
        self.library = library
    }

    /// Renders one part of a kind's message in `language`; nil for an optional part (html) nobody wrote.
    func render(kind: String, part: String, language: String?, values: MessageValues) -> String? {
        for name in candidates(kind: kind, part: part, language: language) {
            if let text = library.render(values, withTemplate: name) { return text }
        }
        return nil
    }

    func require(kind: String, part: String, language: String?, values: MessageValues) throws -> String {
        guard let text = render(kind: kind, part: part, language: language, values: values) else {
            throw DeliveryFailure.transient(
                .templateMissing,
                "No template \(Self.fallbackLanguage)/\(kind).\(part).mustache (or \(Self.baseKind(kind)).\(part)) in \(directory).")
        }
        return text
    }

    private func candidates(kind: String, part: String, language: String?) -> [String] {
        var languages: [String] = []
        if let language = language?.lowercased(), !language.isEmpty {
            languages.append(language)
            // "sv-SE" → "sv"
            if let base = language.split(separator: "-").first, base.count < language.count { languages.append(String(base)) }
        }
        languages.append(Self.fallbackLanguage)
        let kinds = kind == Self.baseKind(kind) ? [kind] : [kind, Self.baseKind(kind)]
        return languages.flatMap { language in kinds.map { "\(language)/\($0).\(part)" } }
    }

    /// `reminder_3` → `reminder`; other kinds are their own base.
    static func baseKind(_ kind: String) -> String {
        guard let underscore = kind.lastIndex(of: "_"), Int(kind[kind.index(after: underscore)...]) != nil else {
            return kind
        }
        return String(kind[..<underscore])
    }

    /// The dunning level of a `reminder_N` kind.
    static func reminderNumber(_ kind: String) -> Int? {
        guard baseKind(kind) == "reminder", let underscore = kind.lastIndex(of: "_") else { return nil }
        return Int(kind[kind.index(after: underscore)...])
    }
}
