import PlanSyntax

/// Two specs in one run for the same provisioned product.
struct DuplicateProvisionedProduct: ProjectRule {
    static let description = RuleDescription(
        id: "PC6001", name: "duplicate-provisioned-product", severity: .error,
        summary: "no two specs in one run name the same ProvisionedProductName",
        rationale: "Service Catalog keeps one plan per provisioned product, and the name is unique per account: two specs for one product would replace each other's plan on every run.",
        fix: "Give each spec its own ProvisionedProductName, or delete one of the specs.",
        source: ServiceModel.apiDoc,
        badExample: Example.spec() + "---\n" + Example.spec(["PlanName": "web-prod-2"]),
        goodExample: Example.spec() + "---\n" + Example.spec(["PlanName": "web-prod-2", "ProvisionedProductName": "web-prod-2"]))

    func check(_ specs: [PlanSpec], _ context: inout RuleContext) {
        var byName: [String: [Located<String>]] = [:]
        var files: [String: [String]] = [:]
        for spec in specs {
            guard let name = spec.provisionedProductName else { continue }
            byName[name.value, default: []].append(name)
            files[name.value, default: []].append(spec.file)
        }
        for (name, places) in byName where places.count > 1 {
            let owners = files[name]!
            for (i, place) in places.enumerated() {
                let others = places.indices.filter { $0 != i }.map { "\(owners[$0]):\(places[$0].location.line):\(places[$0].location.column)" }
                context.report("provisioned product \(quoted(name)) is also planned at \(others.joined(separator: ", ")); one plan per provisioned product", file: owners[i], at: place.location)
            }
        }
    }
}
