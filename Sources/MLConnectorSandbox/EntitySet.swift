/// An OData entity set the sandbox serves, as the schema extract describes it (see `EntityModel`): its entity type,
/// key, properties and navigation properties, whether it belongs to a company and whether it is read-only.
struct EntitySet: Sendable {
    /// A structural property: its OData type (`Edm.String`, `Microsoft.Dynamics.DataEntities.NoYes`…).
    struct Property: Sendable {
        let name: String
        let type: String
        let isNullable: Bool
    }

    /// A navigation property whose records live in another entity set, linked by equal field values.
    struct Navigation: Sendable {
        let name: String
        let targetSet: String
        /// A collection (`Collection(…)` in `$metadata`) rather than a single entity.
        let isCollection: Bool
        /// The source's key fields that the target's key also has; empty when they share no key field but the
        /// company (such a navigation leads to no record in the sandbox).
        let linkFields: [String]
    }

    let name: String
    /// The entity type's name without the namespace (`VendorV2` for `VendorsV2`).
    let typeName: String
    /// Key fields in order.
    let keys: [String]
    let properties: [Property]
    let isReadOnly: Bool
    let navigations: [Navigation]

    /// The entity type's qualified name, as F&O's error messages and `$metadata` give it.
    var qualifiedTypeName: String { EntityModel.namespace + "." + typeName }

    /// Company-specific sets carry `dataAreaId` and are filtered to the default company without `cross-company=true`.
    var isCompanySpecific: Bool { keys.contains("dataAreaId") }

    func property(named name: String) -> Property? {
        properties.first { $0.name == name }
    }

    func navigation(named name: String) -> Navigation? {
        navigations.first { $0.name == name }
    }

    /// The default company of the sandbox's service account, as in a fresh F&O environment.
    static let defaultCompany = "dat"

    /// Sets of posted documents, which F&O refuses to change.
    static let readOnlySets: Set<String> = ["VendInvoiceJourBiEntities"]

    /// The entity type name of a set: F&O names a set after the plural of its type, before a version suffix
    /// (`VendorsV2` → `VendorV2`, `ApprovalHistories` → `ApprovalHistory`, `WorkflowWorkItems` → `WorkflowWorkItem`).
    /// The rule covers every set of the schema extract; a set it would misname needs an exception here.
    static func typeName(ofSet name: String) -> String {
        let version = name.reversed().prefix { $0.isNumber }
        var stem = Substring(name)
        var suffix = ""
        if !version.isEmpty, name.dropLast(version.count).last == "V" {
            stem = name.dropLast(version.count + 1)
            suffix = "V" + String(version.reversed())
        }
        if stem.hasSuffix("ies") {
            stem = stem.dropLast(3) + "y"
        } else if stem.hasSuffix("s") {
            stem = stem.dropLast()
        }
        return String(stem) + suffix
    }
}
