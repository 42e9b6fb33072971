/// The model as F&O's `$metadata` describes it: a CSDL 4.0 document with one `EntityType` per set, the enum types,
/// the workflow actions and the `EntityContainer`.
extension EntityModel {
    /// The bound actions the sandbox serves on `WorkflowWorkItems`, declared as the connector's default catalog binds
    /// them (an assumption `catalog check` confirms or refutes against a real `$metadata`).
    private static let workflowActions: [(name: String, parameters: [String], returnType: String?)] = [
        ("validate", ["WorkflowWorkitemInstanceID"], "Edm.Boolean"),
        ("complete", ["WorkflowWorkitemInstanceID", "Outcome", "Comment", "DelegateUserId"], nil),
    ]

    var csdl: String {
        let ns = Self.namespace
        var xml = #"<?xml version="1.0" encoding="utf-8"?>"# + "\n"
        xml += #"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>"#
        xml += #"<Schema Namespace="\#(ns)" xmlns="http://docs.oasis-open.org/odata/ns/edm">"# + "\n"
        for set in sets {
            xml += "<EntityType Name=\(Self.attribute(set.typeName))><Key>"
            xml += set.keys.map { "<PropertyRef Name=\(Self.attribute($0))/>" }.joined()
            xml += "</Key>"
            for property in set.properties {
                let nullable = property.isNullable ? "" : #" Nullable="false""#
                xml += "<Property Name=\(Self.attribute(property.name)) Type=\(Self.attribute(property.type))\(nullable)/>"
            }
            for navigation in set.navigations {
                let target = ns + "." + EntitySet.typeName(ofSet: navigation.targetSet)
                let type = navigation.isCollection ? "Collection(\(target))" : target
                xml += "<NavigationProperty Name=\(Self.attribute(navigation.name)) Type=\(Self.attribute(type))/>"
            }
            xml += "</EntityType>\n"
        }
        for enumType in enums {
            xml += "<EnumType Name=\(Self.attribute(enumType.name))>"
            xml += enumType.members.map { "<Member Name=\(Self.attribute($0.name)) Value=\"\($0.value)\"/>" }.joined()
            xml += "</EnumType>\n"
        }
        let workItemType = EntitySet.typeName(ofSet: "WorkflowWorkItems")
        for action in Self.workflowActions {
            xml += "<Action Name=\(Self.attribute(action.name)) IsBound=\"true\">"
            xml += "<Parameter Name=\(Self.attribute(workItemType)) Type=\(Self.attribute("Collection(\(ns).\(workItemType))"))/>"
            xml += action.parameters.map { "<Parameter Name=\(Self.attribute($0)) Type=\"Edm.String\"/>" }.joined()
            if let returnType = action.returnType { xml += "<ReturnType Type=\(Self.attribute(returnType))/>" }
            xml += "</Action>\n"
        }
        xml += #"<EntityContainer Name="System">"#
        xml += sets.map { "<EntitySet Name=\(Self.attribute($0.name)) EntityType=\(Self.attribute($0.qualifiedTypeName))/>" }.joined()
        xml += "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>\n"
        return xml
    }

    /// `text` as a double-quoted XML attribute value.
    private static func attribute(_ text: String) -> String {
        var escaped = "\""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped + "\""
    }
}
