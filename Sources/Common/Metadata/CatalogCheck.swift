public import Domain

/// A catalog's schema names (`EventCatalog.schemaReferences`) looked up in an environment's `$metadata`
/// (`ml-connector catalog check`, DESIGN.md §6.2): each name that is not there, with where it is used and the
/// closest names that are, from the right scope (the entity type's properties and navigations, the key fields, the
/// set names, the enum's members, the action's parameters).
///
/// Names a URL carries (sets, keys, `$filter`, `$expand`, enum members, actions and their parameters) must match
/// exactly; names templates read from a response match case-insensitively, as the templates do.
public struct CatalogCheck: Sendable {
    public struct Missing: Sendable, Equatable {
        public enum Kind: String, Sendable {
            case entitySet, key, property, navigation, enumType, enumMember, action, parameter
        }

        public let kind: Kind
        public let name: String
        /// The entity set the name is reached from (a read's set); nil for enums.
        public let entitySet: String?
        /// The entity type, enum type or action the name was looked for in, without namespace.
        public let scope: String?
        /// Every place that uses it (`vendor-invoice-approval card.fields[Amount]`), in catalog order.
        public internal(set) var usedBy: [String]
        public let closest: [String]
        /// Why a name that exists does not fit (an action bound to another type, a key field left out).
        public let note: String?
    }

    /// How many distinct names were looked up.
    public let checked: Int
    public let missing: [Missing]
    public var ok: Bool { missing.isEmpty }

    public init(_ references: [SchemaReference], against metadata: ServiceMetadata) {
        var checker = Checker(metadata: metadata)
        for reference in references {
            checker.check(reference)
        }
        checked = checker.checked.count
        missing = checker.missing
    }
}

private struct Checker {
    typealias Missing = CatalogCheck.Missing
    /// The namespace of F&O's data entities, in which the catalog's enum types and actions are named.
    static let namespace = "Microsoft.Dynamics.DataEntities"

    let metadata: ServiceMetadata
    var checked: Set<String> = []
    var missing: [Missing] = []
    private var positions: [String: Int] = [:]

    init(metadata: ServiceMetadata) {
        self.metadata = metadata
    }

    mutating func check(_ reference: SchemaReference) {
        let usedBy = reference.usedBy
        switch reference.target {
        case .entitySet(let set):
            _ = entityType(ofSet: set, usedBy: usedBy)
        case .key(let set, let fields):
            checkKey(set: set, fields: fields, usedBy: usedBy)
        case .path(let set, let segments, let use):
            checkPath(set: set, segments: segments, use: use, usedBy: usedBy)
        case .enumMember(let type, let member):
            checkEnumMember(type: type, member: member, usedBy: usedBy)
        case .action(let path, let parameters):
            checkAction(path: path, parameters: parameters, usedBy: usedBy)
        }
    }

    // MARK: Lookups

    private mutating func entityType(ofSet set: String, usedBy: String) -> ServiceMetadata.EntityType? {
        count(.entitySet, set, scope: nil)
        guard let typeName = metadata.entitySets[set] else {
            report(.entitySet, set, entitySet: set, scope: nil, closest: metadata.entitySets.keys, usedBy: usedBy)
            return nil
        }
        guard let type = metadata.entityTypes[typeName] else {
            report(.entitySet, set, entitySet: set, scope: nil, closest: [], note: "its entity type \(typeName) is not declared",
                   usedBy: usedBy)
            return nil
        }
        return metadata.resolved(type)
    }

    private mutating func checkKey(set: String, fields: [String], usedBy: String) {
        guard let type = entityType(ofSet: set, usedBy: usedBy) else { return }
        let scope = Self.shortName(type.name)
        let keyText = "key: " + type.key.joined(separator: ", ")
        for field in fields {
            count(.key, field, scope: scope)
            guard !type.key.contains(field) else { continue }
            report(.key, field, entitySet: set, scope: scope, closest: type.key + type.properties.keys,
                   note: "not a key field of \(scope) (\(keyText))", usedBy: usedBy)
        }
        for field in type.key where !fields.contains(field) {
            count(.key, field, scope: scope)
            report(.key, field, entitySet: set, scope: scope, closest: [], note: "a key field the read does not name (\(keyText))",
                   usedBy: usedBy)
        }
    }

    private mutating func checkPath(set: String, segments: [String], use: SchemaReference.PathUse, usedBy: String) {
        guard var type = entityType(ofSet: set, usedBy: usedBy) else { return }
        for (position, segment) in segments.enumerated() {
            let last = position == segments.count - 1
            let scope = Self.shortName(type.name)
            let kind: Missing.Kind = last && use != .navigation ? .property : .navigation
            count(kind, segment, scope: scope)
            let navigation: String?
            switch use {
            case .read:
                navigation = Self.value(type.navigations, caseInsensitiveKey: segment)
                if navigation == nil, Self.value(type.properties, caseInsensitiveKey: segment) != nil { return }
            case .property:
                navigation = nil
                if type.properties[segment] != nil { return }
            case .navigation:
                navigation = type.navigations[segment]
            }
            guard let navigation else {
                let candidates = kind == .property && use == .read ? Array(type.properties.keys) + type.navigations.keys
                    : kind == .property ? Array(type.properties.keys) : Array(type.navigations.keys)
                report(kind, segment, entitySet: set, scope: scope, closest: candidates, usedBy: usedBy)
                return
            }
            guard let target = metadata.entityTypes[navigation] else { return }
            type = metadata.resolved(target)
        }
    }

    private mutating func checkEnumMember(type: String, member: String, usedBy: String) {
        count(.enumType, type, scope: nil)
        guard let members = metadata.enumTypes["\(Self.namespace).\(type)"] else {
            let names = metadata.enumTypes.keys.filter { $0.hasPrefix(Self.namespace + ".") }.map(Self.shortName)
            report(.enumType, type, entitySet: nil, scope: nil, closest: names, usedBy: usedBy)
            return
        }
        count(.enumMember, member, scope: type)
        if !members.contains(member) {
            report(.enumMember, member, entitySet: nil, scope: type, closest: members, usedBy: usedBy)
        }
    }

    /// `Set/Namespace.action` (bound to the collection), `Set(key)/Namespace.action` (bound to an entity) or
    /// `Namespace.action` (unbound); the body's keys are the non-binding parameters.
    private mutating func checkAction(path: String, parameters: [String], usedBy: String) {
        let parts = path.split(separator: "/").map(String.init)
        guard let qualifiedName = parts.last else { return }
        var binding: String?
        var set: String?
        if parts.count > 1 {
            let setPart = parts[0]
            let name = String(setPart.prefix { $0 != "(" })
            set = name
            guard let type = entityType(ofSet: name, usedBy: usedBy) else { return }
            binding = setPart.contains("(") ? type.name : "Collection(\(type.name))"
        }
        let name = Self.shortName(qualifiedName)
        let scope = binding.map(Self.shortName)
        count(.action, name, scope: scope)
        let declared = metadata.actions.filter { qualifiedName.contains(".") ? $0.name == qualifiedName : Self.shortName($0.name) == name }
        let action = declared.first { action in
            guard let binding else { return !action.isBound }
            return action.isBound && action.parameters.first?.type == binding
        }
        guard let action else {
            let bindings = declared.map { $0.isBound ? "bound to \($0.parameters.first?.type ?? "?")" : "unbound" }
            let expected = binding.map { "bound to \($0)" } ?? "unbound"
            report(.action, name, entitySet: set, scope: scope, closest: metadata.actions.map { Self.shortName($0.name) },
                   note: declared.isEmpty ? nil : "declared \(bindings.joined(separator: ", ")), not \(expected)", usedBy: usedBy)
            return
        }
        let declaredParameters = action.parameters.dropFirst(binding == nil ? 0 : 1).map(\.name)
        for parameter in parameters {
            count(.parameter, parameter, scope: name)
            guard !declaredParameters.contains(parameter) else { continue }
            report(.parameter, parameter, entitySet: set, scope: name, closest: declaredParameters, usedBy: usedBy)
        }
    }

    // MARK: Bookkeeping

    private static func key(_ kind: Missing.Kind, _ name: String, scope: String?) -> String { "\(kind)|\(scope ?? "")|\(name)" }

    /// Records a look-up: `checked` counts distinct names.
    private mutating func count(_ kind: Missing.Kind, _ name: String, scope: String?) {
        checked.insert(Self.key(kind, name, scope: scope))
    }

    private mutating func report(_ kind: Missing.Kind, _ name: String, entitySet: String?, scope: String?,
                                 closest candidates: some Sequence<String>, note: String? = nil, usedBy: String) {
        let key = Self.key(kind, name, scope: scope)
        checked.insert(key)
        if let position = positions[key] {
            if !missing[position].usedBy.contains(usedBy) { missing[position].usedBy.append(usedBy) }
            return
        }
        positions[key] = missing.count
        missing.append(Missing(kind: kind, name: name, entitySet: entitySet, scope: scope, usedBy: [usedBy],
                               closest: ClosestNames.closest(to: name, among: candidates), note: note))
    }

    private static func value(_ dictionary: [String: String], caseInsensitiveKey key: String) -> String? {
        if let value = dictionary[key] { return value }
        let lowered = key.lowercased()
        return dictionary.first { $0.key.lowercased() == lowered }?.value
    }

    /// `Microsoft.Dynamics.DataEntities.VendorInvoiceHeader` → `VendorInvoiceHeader`; `Collection(…)` kept around it.
    static func shortName(_ name: String) -> String {
        if name.hasPrefix("Collection("), name.hasSuffix(")") {
            return "Collection(" + shortName(String(name.dropFirst("Collection(".count).dropLast())) + ")"
        }
        return name.split(separator: ".").last.map(String.init) ?? name
    }
}
