import Foundation
import FoundationXML

/// `$metadata` that cannot be read as CSDL.
public struct MetadataError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension ServiceMetadata {
    /// Reads a CSDL document (OData v4 `$metadata`, as F&O serves it): every `Schema`'s entity types, enum types and
    /// actions, and the entity container's sets. Aliases are resolved; namespace prefixes on elements are ignored.
    public init(csdl bytes: [UInt8]) throws(MetadataError) {
        let reader = CSDLReader()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = reader
        guard parser.parse() else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown error"
            throw MetadataError("$metadata is not XML (line \(parser.lineNumber)): \(reason)")
        }
        guard reader.depth == 0 else { throw MetadataError("$metadata ends before its elements do (line \(parser.lineNumber))") }
        guard reader.sawSchema else { throw MetadataError("$metadata has no CSDL Schema element") }
        self = reader.metadata()
    }
}

/// The SAX delegate collecting what `ServiceMetadata` keeps, with type names as written (aliases resolved at the end).
private final class CSDLReader: NSObject, XMLParserDelegate {
    private var entityTypes: [String: ServiceMetadata.EntityType] = [:]
    private var entitySets: [String: String] = [:]
    private var enumTypes: [String: [String]] = [:]
    private var actions: [ServiceMetadata.Action] = []
    /// Alias → namespace.
    private var aliases: [String: String] = [:]

    private var namespace = ""
    private var entityType: ServiceMetadata.EntityType?
    private var enumType: (name: String, members: [String])?
    private var action: ServiceMetadata.Action?
    private var inKey = false
    private(set) var sawSchema = false
    /// Elements open: not zero at the end means the document was cut short.
    private(set) var depth = 0

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        depth += 1
        let name = attributes["Name"] ?? ""
        switch Self.localName(elementName) {
        case "Schema":
            sawSchema = true
            namespace = attributes["Namespace"] ?? ""
            if let alias = attributes["Alias"] { aliases[alias] = namespace }
        case "EntityType":
            entityType = ServiceMetadata.EntityType(name: qualified(name), baseType: attributes["BaseType"])
        case "Key":
            inKey = true
        case "PropertyRef" where inKey:
            entityType?.key.append(name)
        case "Property":
            entityType?.properties[name] = attributes["Type"] ?? ""
        case "NavigationProperty":
            entityType?.navigations[name] = Self.elementType(attributes["Type"] ?? "")
        case "EnumType":
            enumType = (qualified(name), [])
        case "Member":
            enumType?.members.append(name)
        case "Action", "Function":
            action = ServiceMetadata.Action(name: qualified(name), isBound: attributes["IsBound"] == "true", parameters: [])
        case "Parameter":
            action?.parameters.append(.init(name: name, type: attributes["Type"] ?? ""))
        case "EntitySet":
            entitySets[name] = attributes["EntityType"] ?? ""
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        depth -= 1
        switch Self.localName(elementName) {
        case "EntityType":
            if let entityType { entityTypes[entityType.name] = entityType }
            entityType = nil
        case "Key":
            inKey = false
        case "EnumType":
            if let enumType { enumTypes[enumType.name] = enumType.members }
            enumType = nil
        case "Action", "Function":
            if let action { actions.append(action) }
            action = nil
        default:
            break
        }
    }

    func metadata() -> ServiceMetadata {
        var types: [String: ServiceMetadata.EntityType] = [:]
        for var type in entityTypes.values {
            type.baseType = type.baseType.map(resolve)
            type.properties = type.properties.mapValues(resolve)
            type.navigations = type.navigations.mapValues(resolve)
            types[type.name] = type
        }
        let actions = actions.map { action in
            var action = action
            action.parameters = action.parameters.map { .init(name: $0.name, type: resolve($0.type)) }
            return action
        }
        return ServiceMetadata(entityTypes: types, entitySets: entitySets.mapValues(resolve), enumTypes: enumTypes, actions: actions)
    }

    private func qualified(_ name: String) -> String { namespace.isEmpty ? name : "\(namespace).\(name)" }

    /// A type name with an alias prefix replaced by its namespace, `Collection(…)` kept.
    private func resolve(_ type: String) -> String {
        if type.hasPrefix("Collection("), type.hasSuffix(")") {
            return "Collection(" + resolve(String(type.dropFirst("Collection(".count).dropLast())) + ")"
        }
        guard let dot = type.lastIndex(of: "."), let namespace = aliases[String(type[..<dot])] else { return type }
        return namespace + type[dot...]
    }

    private static func localName(_ name: String) -> Substring {
        name.split(separator: ":").last ?? Substring(name)
    }

    /// `Collection(NS.T)` → `NS.T`.
    static func elementType(_ type: String) -> String {
        guard type.hasPrefix("Collection("), type.hasSuffix(")") else { return type }
        return String(type.dropFirst("Collection(".count).dropLast())
    }
}
