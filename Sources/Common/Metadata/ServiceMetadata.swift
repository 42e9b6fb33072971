/// What an OData service's `$metadata` (CSDL) says about the names ml-connector uses: entity types with their keys,
/// properties and navigations, the entity container's sets, enum types with their members, and actions with their
/// parameters. A pure value; `ServiceMetadata(csdl:)` reads it from the XML.
///
/// Types are known by their qualified names (`Microsoft.Dynamics.DataEntities.WorkflowWorkItem`); a set's type is only
/// ever what the entity container says, never guessed from the set's name.
public struct ServiceMetadata: Sendable, Equatable {
    public struct EntityType: Sendable, Equatable {
        public var name: String
        public var baseType: String?
        public var key: [String]
        /// Property name → type (`Edm.String`, `Microsoft.Dynamics.DataEntities.NoYes`).
        public var properties: [String: String]
        /// Navigation name → target entity type, qualified, without `Collection(…)`.
        public var navigations: [String: String]

        public init(name: String, baseType: String? = nil, key: [String] = [], properties: [String: String] = [:],
                    navigations: [String: String] = [:]) {
            self.name = name
            self.baseType = baseType
            self.key = key
            self.properties = properties
            self.navigations = navigations
        }
    }

    public struct Action: Sendable, Equatable {
        public struct Parameter: Sendable, Equatable {
            public var name: String
            /// Qualified, `Collection(…)` kept.
            public var type: String

            public init(name: String, type: String) {
                self.name = name
                self.type = type
            }
        }

        /// Qualified: `Microsoft.Dynamics.DataEntities.validate`.
        public var name: String
        public var isBound: Bool
        /// In order; for a bound action the first is the binding parameter.
        public var parameters: [Parameter]

        public init(name: String, isBound: Bool, parameters: [Parameter]) {
            self.name = name
            self.isBound = isBound
            self.parameters = parameters
        }
    }

    /// Qualified name → type.
    public var entityTypes: [String: EntityType]
    /// Entity set name → qualified entity type name.
    public var entitySets: [String: String]
    /// Qualified name → members in order.
    public var enumTypes: [String: [String]]
    public var actions: [Action]

    public init(entityTypes: [String: EntityType] = [:], entitySets: [String: String] = [:], enumTypes: [String: [String]] = [:],
                actions: [Action] = []) {
        self.entityTypes = entityTypes
        self.entitySets = entitySets
        self.enumTypes = enumTypes
        self.actions = actions
    }

    /// The type a set holds, per the entity container.
    public func entityType(ofSet set: String) -> EntityType? {
        entitySets[set].flatMap { entityTypes[$0] }
    }

    /// The type with its base types' keys, properties and navigations folded in (a derived type inherits them).
    public func resolved(_ type: EntityType) -> EntityType {
        var result = type
        var seen: Set<String> = []
        var base = type.baseType
        while let name = base, seen.insert(name).inserted, let parent = entityTypes[name] {
            if result.key.isEmpty { result.key = parent.key }
            result.properties.merge(parent.properties) { own, _ in own }
            result.navigations.merge(parent.navigations) { own, _ in own }
            base = parent.baseType
        }
        return result
    }
}
