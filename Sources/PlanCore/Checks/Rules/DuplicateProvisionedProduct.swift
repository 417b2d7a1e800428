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
        // One dictionary of first occurrences; groups only for the (rare) repeated names.
        var first: [String: Int] = [:]
        first.reserveCapacity(specs.count)
        var groups: [Int: [Int]] = [:]
        for (i, spec) in specs.enumerated() {
            guard let name = spec.provisionedProductName?.value else { continue }
            if let j = first[name] { groups[j, default: [j]].append(i) } else { first[name] = i }
        }
        for (_, members) in groups.sorted(by: { $0.key < $1.key }) {
            for i in members {
                let place = specs[i].provisionedProductName!
                let others = members.filter { $0 != i }.map { j in
                    "\(specs[j].file):\(specs[j].provisionedProductName!.location.line):\(specs[j].provisionedProductName!.location.column)"
                }
                context.report("provisioned product \(quoted(place.value)) is also planned at \(others.joined(separator: ", ")); one plan per provisioned product", file: specs[i].file, at: place.location)
            }
        }
    }
}
