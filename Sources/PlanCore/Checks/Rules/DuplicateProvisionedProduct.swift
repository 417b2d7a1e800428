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

    func check(_ files: [FileAnalysis], _ context: inout RuleContext) {
        // One dictionary of first occurrences; groups only for the (rare) repeated names.
        // A spec is addressed by (file, spec) index, so no spec is copied.
        var first: [String: SpecIndex] = [:]
        first.reserveCapacity(files.count)
        var groups: [SpecIndex: [SpecIndex]] = [:]
        for f in files.indices {
            for s in files[f].specs.indices {
                guard let name = files[f].specs[s].provisionedProductName?.value else { continue }
                let here = SpecIndex(file: f, spec: s)
                if let j = first[name] { groups[j, default: [j]].append(here) } else { first[name] = here }
            }
        }
        func spec(_ i: SpecIndex) -> PlanSpec { files[i.file].specs[i.spec] }
        for (_, members) in groups.sorted(by: { $0.key < $1.key }) {
            for i in members {
                let place = spec(i).provisionedProductName!
                let others = members.filter { $0 != i }.map { j in
                    "\(spec(j).file):\(spec(j).provisionedProductName!.location.line):\(spec(j).provisionedProductName!.location.column)"
                }
                context.report("provisioned product \(quoted(place.value)) is also planned at \(others.joined(separator: ", ")); one plan per provisioned product", file: spec(i).file, at: place.location)
            }
        }
    }
}

/// A spec's place in a run: its file's index and its index in that file.
private struct SpecIndex: Hashable, Comparable {
    var file: Int
    var spec: Int
    static func < (a: SpecIndex, b: SpecIndex) -> Bool { (a.file, a.spec) < (b.file, b.spec) }
}
