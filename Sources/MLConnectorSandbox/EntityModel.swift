import Core
import Domain
import Outbound
import Interactions

/// The F&O entity model the sandbox serves: every entity set of the schema extract `Fixtures/metadata/fo-schema.json`
/// (read from a client generated from a real F&O `$metadata`), with its keys, properties, navigations and the enum
/// types they use. OData routes, the seed and `$metadata` all follow it.
struct EntityModel: Sendable {
    /// An enum type: its members and their integer values, in order.
    struct EnumType: Sendable {
        let name: String
        let members: [(name: String, value: Int)]
    }

    static let namespace = "Microsoft.Dynamics.DataEntities"

    let sets: [EntitySet]
    let enums: [EnumType]

    /// The model of `Fixtures/metadata/fo-schema.json`, loaded once.
    static let fo = EntityModel(schema: SampleData.schema)

    func set(named name: String) -> EntitySet? {
        sets.first { $0.name == name }
    }

    /// Reads the schema extract: `entities` (per set `keys`, `properties` name → type, `nonNullable`,
    /// `navigations` name → `{"target","many"}`) and `enums` (per enum member → value). Navigations to sets the
    /// extract does not describe are left out, so the model (and its `$metadata`) names only types it defines.
    init(schema: JSONObject) {
        guard let entities = schema["entities"]?.objectValue, let enums = schema["enums"]?.objectValue else {
            preconditionFailure("Fixtures/metadata/fo-schema.json lacks 'entities' or 'enums'")
        }
        let keysBySet = Dictionary(uniqueKeysWithValues: entities.members.map { member in
            (member.key, member.value["keys"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        })
        sets = entities.members.map { member in
            let entity = member.value.objectValue ?? [:]
            let keys = keysBySet[member.key] ?? []
            guard !keys.isEmpty else { preconditionFailure("fo-schema.json: \(member.key) has no key") }
            let nonNullable = Set(entity["nonNullable"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            let properties = (entity["properties"]?.objectValue ?? [:]).members.map { property in
                EntitySet.Property(name: property.key, type: property.value.stringValue ?? "Edm.String",
                                   isNullable: !nonNullable.contains(property.key))
            }
            let navigations = (entity["navigations"]?.objectValue ?? [:]).members.compactMap { navigation -> EntitySet.Navigation? in
                guard let target = navigation.value["target"]?.stringValue, let targetKeys = keysBySet[target] else { return nil }
                let shared = keys.filter(targetKeys.contains)
                return EntitySet.Navigation(
                    name: navigation.key, targetSet: target, isCollection: navigation.value["many"] == .bool(true),
                    linkFields: shared.contains { $0 != "dataAreaId" } ? shared : []
                )
            }
            return EntitySet(name: member.key, typeName: EntitySet.typeName(ofSet: member.key), keys: keys,
                             properties: properties, isReadOnly: EntitySet.readOnlySets.contains(member.key),
                             navigations: navigations)
        }
        self.enums = enums.members.map { member in
            let values = (member.value.objectValue ?? [:]).members.map { ($0.key, $0.value.intValue ?? 0) }
            return EnumType(name: member.key, members: values)
        }
    }
}
