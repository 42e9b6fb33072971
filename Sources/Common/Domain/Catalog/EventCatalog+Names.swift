import Core

// The schema names an event catalog uses, for `ml-connector catalog check` (DESIGN.md §6.2): entity sets, keys,
// properties filtered, navigations expanded, properties read by templates, enum members of constant enum literals,
// the workflow actions and their parameters, and the names ml-connector's approval code reads (`WorkItemSchema`).
// Pure: the names are listed here and looked up in a `$metadata` by the Metadata module.

extension EventCatalog {
    /// Every schema name this catalog uses, in catalog order, then the approval code's own (`WorkItemSchema`).
    /// The same name used in several places is listed once per place.
    public var schemaReferences: [SchemaReference] {
        var references: [SchemaReference] = []
        for entry in entries {
            references += entry.schemaReferences
        }
        references += dimensionFormats.schemaReferences(usedBy: "dimensionFormats", earlier: [])
        references += workflowActions.schemaReferences
        references += WorkItemSchema.schemaReferences
        return references
    }
}

extension CatalogEntry {
    var schemaReferences: [SchemaReference] {
        var references: [SchemaReference] = []
        for (index, read) in reads.enumerated() {
            references += read.schemaReferences(usedBy: "\(id) reads[\(read.name)]", earlier: Array(reads[..<index]))
        }
        let members: [(String, Template?)] = [("title", title), ("amount", amount), ("currency", currency),
                                              ("personEmail", personEmail), ("workItemID", workItemID),
                                              ("card.text", card.text), ("card.summary", card.summary)]
        for case (let member, let template?) in members {
            references += template.schemaReferences(reads: reads, usedBy: "\(id) \(member)")
        }
        for field in card.fields {
            references += field.value.schemaReferences(reads: reads, usedBy: "\(id) card.fields[\(field.label)]")
        }
        for (member, lines) in card.lineLists {
            references += lines.rows.schemaReferences(reads: reads, usedBy: "\(id) card.\(member).rows")
            // `{line.…}` belongs to the type of the rows: a navigation's target, or the read's own set.
            let line = lines.rows.alternatives.lazy.compactMap { pieces in
                pieces.lazy.compactMap(\.placeholder).first.flatMap { Template.resolve($0.path, reads: self.reads, line: nil) }
            }.first
            references += lines.item.schemaReferences(reads: reads, line: line, usedBy: "\(id) card.\(member).item")
        }
        return references
    }
}

extension ReadTemplate {
    /// The set, the key or filter fields, the expanded navigations, constant enum members, and the names the key and
    /// filter templates read from `earlier` reads.
    func schemaReferences(usedBy: String, earlier: [ReadTemplate]) -> [SchemaReference] {
        var references = [SchemaReference(.entitySet(entitySet), usedBy: usedBy)]
        if !key.isEmpty {
            references.append(SchemaReference(.key(entitySet: entitySet, fields: key.map(\.name)), usedBy: "\(usedBy).key"))
        }
        for term in filter {
            references.append(SchemaReference(.path(entitySet: entitySet, segments: [term.name], use: .property),
                                              usedBy: "\(usedBy).filter"))
        }
        for field in select {
            references.append(SchemaReference(.path(entitySet: entitySet, segments: [field], use: .property), usedBy: "\(usedBy).select"))
        }
        for path in expandedPaths {
            references.append(SchemaReference(.path(entitySet: entitySet, segments: path, use: .navigation), usedBy: "\(usedBy).expand"))
        }
        for (part, terms) in [("key", key), ("filter", filter)] {
            for term in terms {
                let place = "\(usedBy).\(part).\(term.name)"
                if case .enumeration(let type, let symbol) = term.value, let member = symbol.constantText {
                    references.append(SchemaReference(.enumMember(type: type, member: member), usedBy: place))
                }
                references += term.value.template.schemaReferences(reads: earlier, usedBy: place)
            }
        }
        return references
    }

    /// `$expand`'s navigation paths: `A,B/C($select=…)` gives `[A]`, `[B, C]`.
    private var expandedPaths: [[String]] {
        guard let expand else { return [] }
        var paths: [[String]] = []
        var depth = 0
        var current = ""
        for character in expand + "," {
            switch character {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                let path = current.split(separator: "/").map { String($0).trimmingCharacters() }.filter { !$0.isEmpty }
                if !path.isEmpty { paths.append(path) }
                current = ""
            default: if depth == 0 { current.append(character) }
            }
        }
        return paths
    }
}

extension ReadTemplate.Literal {
    var template: Template {
        switch self {
        case .string(let template), .number(let template), .guid(let template), .enumeration(_, let template): template
        }
    }
}

extension WorkflowActions {
    var schemaReferences: [SchemaReference] {
        [("validate", validate), ("complete", complete)].map { name, action in
            SchemaReference(.action(path: action.path, parameters: action.body.map(\.name)), usedBy: "workflowActions.\(name)")
        } + outcomeParameters.map { decision, names in
            SchemaReference(.action(path: complete.path, parameters: complete.body.map(\.name) + names),
                            usedBy: "workflowActions.outcomes.\(Self.catalogName(decision))")
        }
    }
}

extension WorkItemSchema {
    /// The work item and system user names the approval code reads, its key reads and the status enum's members.
    static var schemaReferences: [SchemaReference] {
        let usedBy = "approval code (WorkItemSchema)"
        var references = [SchemaReference(.entitySet(entitySet), usedBy: usedBy),
                          SchemaReference(.key(entitySet: entitySet, fields: [key]), usedBy: usedBy),
                          SchemaReference(.entitySet(userEntitySet), usedBy: usedBy),
                          SchemaReference(.key(entitySet: userEntitySet, fields: [userKey]), usedBy: usedBy)]
        for (set, property) in properties {
            references.append(SchemaReference(.path(entitySet: set, segments: [property], use: .property), usedBy: usedBy))
        }
        for status in Status.allCases {
            references.append(SchemaReference(.enumMember(type: statusEnum, member: status.rawValue), usedBy: usedBy))
        }
        return references
    }
}

extension Template {
    /// Where a template's placeholder path leads: a read's entity set and the segments below it. Nil for payload names
    /// (`{event.…}`, `{legalEntity}`) and for a `{line.…}` outside a line list or over rows that are not schema names.
    typealias Location = (entitySet: String, segments: [String])

    /// The schema paths every placeholder of every alternative reads, with filter arguments that are paths
    /// (`|money:order.CurrencyCode` from a root; a field of the value's rows otherwise, as `|sum:Amount`).
    func schemaReferences(reads: [ReadTemplate], line: Location? = nil, usedBy: String) -> [SchemaReference] {
        var references: [SchemaReference] = []
        func add(_ location: Location?) {
            guard let location, !location.segments.isEmpty else { return }
            references.append(SchemaReference(.path(entitySet: location.entitySet, segments: location.segments, use: .read), usedBy: usedBy))
        }
        for case .placeholder(let placeholder) in alternatives.joined() {
            let value = Self.resolve(placeholder.path, reads: reads, line: line)
            add(value)
            if let sum = placeholder.sum, let value { add((value.entitySet, value.segments + sum)) }
            guard let argument = placeholder.filter?.pathArgument else { continue }
            if Self.isRoot(argument[0], reads: reads) {
                add(Self.resolve(argument, reads: reads, line: line))
            } else if let value {
                add((value.entitySet, value.segments + argument.filter { !Self.isIndex($0) }))
            }
        }
        return references
    }

    static func resolve(_ path: [String], reads: [ReadTemplate], line: Location?) -> Location? {
        let root = path[0].lowercased()
        let rest = path.dropFirst().filter { !isIndex($0) }
        if root == "line" { return line.map { ($0.entitySet, $0.segments + rest) } }
        // The work item and its user, which the approval jobs read before an entry's own reads.
        if root == CatalogEntry.workItemRead { return (WorkItemSchema.entitySet, Array(rest)) }
        if root == CatalogEntry.approverRead { return (WorkItemSchema.userEntitySet, Array(rest)) }
        guard let read = reads.first(where: { $0.name.lowercased() == root }) else { return nil }
        return (read.entitySet, Array(rest))
    }

    private static func isRoot(_ name: String, reads: [ReadTemplate]) -> Bool {
        let name = name.lowercased()
        return ["event", "legalentity", "line", CatalogEntry.workItemRead, CatalogEntry.approverRead].contains(name) || reads.contains { $0.name.lowercased() == name }
    }

    /// A number picks an array element.
    private static func isIndex(_ segment: String) -> Bool { segment.allSatisfy(\.isASCIIDigit) }

    /// The text when the template is one alternative of literal text only (`"Yes"`), else nil.
    var constantText: String? {
        guard alternatives.count == 1 else { return nil }
        var text = ""
        for piece in alternatives[0] {
            guard case .literal(let literal) = piece else { return nil }
            text += literal
        }
        return text.isEmpty ? nil : text
    }
}

extension Template.Piece {
    var placeholder: Template.Placeholder? {
        if case .placeholder(let placeholder) = self { placeholder } else { nil }
    }
}

extension Template.Filter {
    /// The filter's argument when it is a path (`money:order.CurrencyCode`). A new filter with a path argument must
    /// be added here (the switch is exhaustive, so the compiler asks).
    var pathArgument: [String]? {
        switch self {
        case .money(let currency): currency.flatMap { $0.isEmpty ? nil : $0 }
        case .date, .int, .dimensions: nil
        }
    }
}
