#!/usr/bin/env python3
"""Writes fo-metadata.xml, a CSDL `$metadata` for the entity sets, keys, properties, navigations and enums of
reference/fo-schema.json (the names of a real F&O environment), plus the two workflow actions as the sandbox serves
them (`complete` with the delegate parameter the default catalog assumes). Usage: make-fo-metadata.py path/to/fo-schema.json > fo-metadata.xml

fo-schema.json names entity sets; entity TYPE names are singular (WorkflowWorkItem, SystemUser, VendorV2): they are
given here for the sets the product uses and derived by singularising the set name otherwise. The checker never
derives them: it maps sets to types only through the EntityContainer written below."""
import json
import re
import sys
from xml.sax.saxutils import quoteattr

NS = "Microsoft.Dynamics.DataEntities"
TYPE_NAMES = {
    "WorkflowWorkItems": "WorkflowWorkItem", "SystemUsers": "SystemUser", "VendorInvoiceHeaders": "VendorInvoiceHeader",
    "VendorInvoiceLines": "VendorInvoiceLine", "PurchaseOrderHeadersV2": "PurchaseOrderHeaderV2",
    "PurchaseOrderLinesV2": "PurchaseOrderLineV2", "VendorsV2": "VendorV2", "VendInvoiceJourBiEntities": "VendInvoiceJourBiEntity",
    "VendorPaymentJournalLines": "VendorPaymentJournalLine", "VendorPaymentJournalHeaders": "VendorPaymentJournalHeader",
    "Workers": "Worker", "DimensionIntegrationFormats": "DimensionIntegrationFormat", "PersonUsers": "PersonUser",
    "ApprovalHistories": "ApprovalHistory", "People": "Person",
}


def type_name(entity_set):
    if entity_set in TYPE_NAMES:
        return TYPE_NAMES[entity_set]
    match = re.fullmatch(r"(.*?)(V\d+)?", entity_set)
    stem, version = match.group(1), match.group(2) or ""
    for plural, singular in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("s", "")):
        if stem.endswith(plural):
            stem = stem[: -len(plural)] + singular
            break
    return stem + version


def main(path):
    schema = json.load(open(path))
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
           '<edmx:DataServices>',
           f'<Schema Namespace="{NS}" xmlns="http://docs.oasis-open.org/odata/ns/edm">']
    for entity_set, entity in sorted(schema["entities"].items()):
        out.append(f'<EntityType Name={quoteattr(type_name(entity_set))}>')
        out.append("<Key>" + "".join(f"<PropertyRef Name={quoteattr(k)}/>" for k in entity["keys"]) + "</Key>")
        non_nullable = set(entity.get("nonNullable", []))
        for name, edm_type in entity["properties"].items():
            nullable = ' Nullable="false"' if name in non_nullable else ""
            out.append(f"<Property Name={quoteattr(name)} Type={quoteattr(edm_type)}{nullable}/>")
        for name, navigation in entity["navigations"].items():
            target = f"{NS}.{type_name(navigation['target'])}"
            target = f"Collection({target})" if navigation["many"] else target
            out.append(f"<NavigationProperty Name={quoteattr(name)} Type={quoteattr(target)}/>")
        out.append("</EntityType>")
    for name, members in sorted(schema["enums"].items()):
        out.append(f"<EnumType Name={quoteattr(name)}>")
        out += [f"<Member Name={quoteattr(member)} Value=\"{value}\"/>" for member, value in members.items()]
        out.append("</EnumType>")
    work_item = f"{NS}.WorkflowWorkItem"
    out.append('<Action Name="validate" IsBound="true">'
               f'<Parameter Name="WorkflowWorkItem" Type="Collection({work_item})"/>'
               '<Parameter Name="WorkflowWorkitemInstanceID" Type="Edm.String"/>'
               '<ReturnType Type="Edm.Boolean"/></Action>')
    out.append('<Action Name="complete" IsBound="true">'
               f'<Parameter Name="WorkflowWorkItem" Type="Collection({work_item})"/>'
               '<Parameter Name="WorkflowWorkitemInstanceID" Type="Edm.String"/>'
               '<Parameter Name="Outcome" Type="Edm.String"/>'
               '<Parameter Name="Comment" Type="Edm.String"/>'
               '<Parameter Name="DelegateUserId" Type="Edm.String"/></Action>')
    out.append('<EntityContainer Name="Resources">')
    for entity_set in sorted(schema["entities"]):
        out.append(f'<EntitySet Name={quoteattr(entity_set)} EntityType="{NS}.{type_name(entity_set)}"/>')
    out.append("</EntityContainer>")
    out += ["</Schema>", "</edmx:DataServices>", "</edmx:Edmx>"]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
