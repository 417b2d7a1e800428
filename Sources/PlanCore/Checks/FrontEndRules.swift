import PlanSyntax

/// Descriptions of the problems the YAML front end and lowering report.
enum FrontEndRules {
    static let all: [RuleDescription] = [
        RuleDescription(
            id: SyntaxRule.yamlSyntax, name: "yaml-syntax", severity: .error,
            summary: "the file is valid UTF-8 YAML",
            rationale: "libyaml could not read the file: a syntax error, a tab used for indentation, an unterminated quote, or bytes that are not UTF-8. Nothing after the error can be read.",
            fix: "Fix the YAML at the reported position. Indent with spaces, close quotes, save the file as UTF-8.",
            source: "https://yaml.org/spec/1.1/",
            badExample: "PlanName: \"web-prod\nPlanType: CLOUDFORMATION\n", goodExample: nil),
        RuleDescription(
            id: SyntaxRule.duplicateKey, name: "duplicate-key", severity: .error,
            summary: "a mapping has each key at most once",
            rationale: "YAML forbids duplicate keys, but many loaders (PyYAML among them) silently keep the last one, so a spec could send something other than what a reviewer read.",
            fix: "Remove one of the two keys, or merge their values.",
            source: "https://yaml.org/spec/1.2.2/#mapping",
            badExample: Example.spec([:], "PlanName: web-prod-2"), goodExample: nil),
        RuleDescription(
            id: SyntaxRule.undefinedAlias, name: "undefined-alias", severity: .error,
            summary: "every alias (*name) refers to an anchor (&name) defined earlier in the same document",
            rationale: "An alias to nothing has no value; YAML requires the anchor to come first in the same document.",
            fix: "Define the anchor with &name before the alias, in the same document, or fix the alias's spelling.",
            source: "https://yaml.org/spec/1.2.2/#alias-nodes",
            badExample: Example.spec([:], "Tags: *common-tags"), goodExample: nil),
        RuleDescription(
            id: SyntaxRule.inputLimit, name: "input-limit", severity: .error,
            summary: "a file stays within plancc's bounds: 1 MiB, 64 levels of nesting, 100,000 nodes after alias expansion",
            rationale: "The bounds keep hostile or broken input (a \"billion laughs\" alias bomb, runaway nesting) from costing unbounded time or memory. A real spec is far below them.",
            fix: "Split the file, or remove the deep nesting or the nested aliases.",
            source: "https://en.wikipedia.org/wiki/Billion_laughs_attack",
            badExample: nil, goodExample: nil),
        RuleDescription(
            id: SyntaxRule.mergeKey, name: "merge-key", severity: .error,
            summary: "a '<<' merge key takes a mapping or a list of mappings",
            rationale: "Only mappings can be merged into a mapping (YAML merge key type).",
            fix: "Point '<<' at an anchored mapping, e.g. '<<: *common'.",
            source: "https://yaml.org/type/merge.html",
            badExample: Example.spec([:], "Tags:\n  <<: just-a-string\n  team: web"), goodExample: nil),
        RuleDescription(
            id: SyntaxRule.noDocuments, name: "no-documents", severity: .warning,
            summary: "a spec file holds at least one YAML document",
            rationale: "A file with only comments or nothing in it defines no plan; it is probably unfinished or misplaced.",
            fix: "Add a spec or delete the file.",
            source: "https://yaml.org/spec/1.2.2/#streams",
            badExample: "# nothing here yet\n", goodExample: nil),
        RuleDescription(
            id: ShapeRule.unknownKey, name: "unknown-key", severity: .error,
            summary: "every key is a member of the CreateProvisionedProductPlan request (or of Tag / UpdateProvisioningParameter)",
            rationale: "An unknown key is usually a typo ('Tag' for 'Tags', 'productId' for 'ProductId'); the API would reject it, and dropping it silently would lose what the user meant.",
            fix: "Use the API's PascalCase member name; the message suggests the closest one.",
            source: ServiceModel.apiDoc,
            badExample: Example.spec([:], "Tag:\n  team: web"), goodExample: Example.spec([:], "Tags:\n  team: web")),
        RuleDescription(
            id: ShapeRule.wrongType, name: "wrong-type", severity: .error,
            summary: "each member has the type the API expects: strings, a list of strings, true/false, Tags and ProvisioningParameters as a mapping or a list of mappings",
            rationale: "The wire format is typed. Scalars in string members keep their source text (010 stays \"010\"), but a list where a string belongs, null, or a non-boolean UsePreviousValue cannot be sent.",
            fix: "Write the value in the expected shape; quote an empty string as ''.",
            source: ServiceModel.apiDoc,
            badExample: Example.spec([:], "NotificationArns: arn:aws:sns:us-east-1:123456789012:deploys"),
            goodExample: Example.spec([:], "NotificationArns: [arn:aws:sns:us-east-1:123456789012:deploys]")),
        RuleDescription(
            id: ShapeRule.missingKey, name: "missing-required-key", severity: .error,
            summary: "PlanName, PlanType, ProductId, ProvisioningArtifactId and ProvisionedProductName are present; Key (and Value for tags) in list items",
            rationale: "The API requires these members. IdempotencyToken is required too, but plancc derives it from the spec when absent.",
            fix: "Add the missing member.",
            source: ServiceModel.apiDoc,
            badExample: Example.spec(["PlanType": nil]), goodExample: Example.spec()),
        RuleDescription(
            id: ShapeRule.emptyDocument, name: "empty-document", severity: .warning,
            summary: "no document of a spec file is empty",
            rationale: "An empty document between '---' separators defines no plan and is usually a leftover.",
            fix: "Remove the extra '---' or fill in the document.",
            source: "https://yaml.org/spec/1.2.2/#streams",
            badExample: Example.spec() + "---\n", goodExample: nil),
    ]
}
