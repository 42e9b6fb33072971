/// One name of an F&O environment's OData schema that the event catalog (or ml-connector's own approval code)
/// relies on, with where it is used. `ml-connector catalog check` looks each one up in the environment's
/// `$metadata` (DESIGN.md §6.2, §7 "The names of entity sets…").
///
/// Payload names (`{event.…}`, `{legalEntity}`) are not schema names and never appear here.
public struct SchemaReference: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        /// An entity set of the service.
        case entitySet(String)
        /// The fields a keyed read names: exactly the set's key fields.
        case key(entitySet: String, fields: [String])
        /// Properties and navigations from the set's entity type: every segment but the last is a navigation (the
        /// next segment belongs to its target type); array indexes (`{lines.0.Field}`) are already left out.
        case path(entitySet: String, segments: [String], use: PathUse)
        /// A member of an enum type of the `Microsoft.Dynamics.DataEntities` namespace (`NoYes'Yes'`).
        case enumMember(type: String, member: String)
        /// A workflow action below `{dynamics-url}/data/` (`WorkflowWorkItems/Microsoft.Dynamics.DataEntities.validate`)
        /// and the parameter names its body sends.
        case action(path: String, parameters: [String])
    }

    /// How a path's names are used, which says how they must exist.
    public enum PathUse: Sendable, Equatable {
        /// Read from a response by a template: matched case-insensitively, the last segment a property or a navigation.
        case read
        /// Named in a URL (`$filter`, the approval code's reads): exactly, and a property.
        case property
        /// Named in `$expand`: exactly, and every segment a navigation.
        case navigation
    }

    public let target: Target
    /// Where the catalog uses it: `vendor-invoice-approval card.fields[Amount]`, `dimensionFormats.filter`.
    public let usedBy: String

    public init(_ target: Target, usedBy: String) {
        self.target = target
        self.usedBy = usedBy
    }
}
