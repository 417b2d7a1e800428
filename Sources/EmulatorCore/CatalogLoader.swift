import PlanSyntax

/// A problem in a catalog file, at the place it was written.
public struct CatalogDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var location: SourceLocation
    public var message: String

    public init(file: String, location: SourceLocation, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    /// `file:line:col: error: message`, the shape editors and CI read.
    public var description: String { "\(file):\(location.line):\(location.column): error: \(message)" }
}

public struct CatalogLoadError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [CatalogDiagnostic]
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Reads a catalog file (YAML) into a `Catalog`. Every problem is collected with its
/// location; the catalog is returned only when there are none. The format is described in
/// the emulator's README section.
public enum CatalogLoader {
    public static func load(bytes: [UInt8], file: String) -> Result<Catalog, CatalogLoadError> {
        let yaml = parseYAML(bytes, file: file)
        var reader = CatalogReader(file: file)
        let errors = yaml.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty {
            return .failure(CatalogLoadError(diagnostics: errors.map {
                CatalogDiagnostic(file: file, location: $0.location, message: $0.message)
            }))
        }
        guard yaml.documents.count == 1, let root = yaml.documents[0].root else {
            let at = yaml.documents.count > 1 ? yaml.documents[1].location : SourceLocation.start
            return .failure(CatalogLoadError(diagnostics: [CatalogDiagnostic(
                file: file, location: at, message: "a catalog file holds exactly one YAML document")]))
        }
        let catalog = reader.catalog(root)
        if reader.diagnostics.isEmpty { return .success(catalog) }
        return .failure(CatalogLoadError(diagnostics: reader.diagnostics.sorted { $0.location < $1.location }))
    }
}

/// The members of one YAML mapping, with unknown-key detection.
private struct Members {
    var node: Node
    var pairs: [(key: String, keyNode: Node, value: Node)]

    func value(_ names: String...) -> Node? {
        for p in pairs where names.contains(p.key) { return p.value }
        return nil
    }
}

private struct CatalogReader {
    let file: String
    var diagnostics: [CatalogDiagnostic] = []

    init(file: String) { self.file = file }

    mutating func error(_ at: SourceLocation, _ message: String) {
        diagnostics.append(CatalogDiagnostic(file: file, location: at, message: message))
    }

    /// A mapping whose keys must all be in `allowed`; nil (with a diagnostic) if it isn't one.
    mutating func members(_ node: Node, _ what: String, allowed: [String], required: [String] = []) -> Members? {
        guard let mapping = node.mapping else {
            error(node.location, "\(what) must be a mapping, found \(node.kindDescription)")
            return nil
        }
        var out = Members(node: node, pairs: [])
        for pair in mapping {
            guard let key = pair.key.scalar?.text else {
                error(pair.key.location, "keys in \(what) must be scalars")
                continue
            }
            if !allowed.contains(key) {
                error(pair.key.location, "unknown key \(quoted(key)) in \(what); expected one of: \(allowed.joined(separator: ", "))")
                continue
            }
            out.pairs.append((key, pair.key, pair.value))
        }
        for name in required where out.value(name) == nil {
            error(node.location, "\(what) needs \(name)")
        }
        return out
    }

    mutating func string(_ node: Node?, _ what: String) -> String? {
        guard let node else { return nil }
        guard let s = node.scalar, !s.isNull else {
            error(node.location, "\(what) must be a string, found \(node.kindDescription)")
            return nil
        }
        return s.text
    }

    mutating func nonEmpty(_ node: Node?, _ what: String) -> String? {
        guard let s = string(node, what) else { return nil }
        if s.isEmpty, let node { error(node.location, "\(what) must not be empty") ; return nil }
        return s
    }

    mutating func bool(_ node: Node?, _ what: String) -> Bool? {
        guard let node else { return nil }
        guard let b = node.scalar?.bool else {
            error(node.location, "\(what) must be true or false, found \(node.kindDescription)")
            return nil
        }
        return b
    }

    mutating func int(_ node: Node?, _ what: String) -> Int? {
        guard let text = string(node, what) else { return nil }
        guard let n = Int(text), n >= 0 else {
            error(node!.location, "\(what) must be a whole number, found \(quoted(text))")
            return nil
        }
        return n
    }

    mutating func double(_ node: Node?, _ what: String) -> Double? {
        guard let text = string(node, what) else { return nil }
        guard let n = Double(text) else {
            error(node!.location, "\(what) must be a number, found \(quoted(text))")
            return nil
        }
        return n
    }

    mutating func list(_ node: Node?, _ what: String) -> [Node] {
        guard let node else { return [] }
        if let s = node.scalar, s.isNull { return [] }
        guard let seq = node.sequence else {
            error(node.location, "\(what) must be a list, found \(node.kindDescription)")
            return []
        }
        return seq
    }

    /// A list of strings; a single scalar counts as a one-item list.
    mutating func strings(_ node: Node?, _ what: String) -> [String] {
        guard let node else { return [] }
        if let s = node.scalar, !s.isNull { return [s.text] }
        return list(node, what).compactMap { string($0, "an item of \(what)") }
    }

    mutating func enumValue<E: RawRepresentable & CaseIterable>(_ node: Node?, _ what: String, _: E.Type) -> E?
    where E.RawValue == String {
        guard let node, let text = string(node, what) else { return nil }
        guard let v = E(rawValue: text) else {
            error(node.location, "\(what) must be one of \(E.allCases.map(\.rawValue).joined(separator: ", ")), found \(quoted(text))")
            return nil
        }
        return v
    }

    /// Key/value pairs written as a mapping (`team: web`) or as AWS's list of `{Key, Value}`.
    mutating func keyValues(_ node: Node?, _ what: String) -> [(key: String, value: String, at: SourceLocation)] {
        guard let node else { return [] }
        if let s = node.scalar, s.isNull { return [] }
        var out: [(key: String, value: String, at: SourceLocation)] = []
        if let mapping = node.mapping {
            for pair in mapping {
                guard let k = string(pair.key, "a key of \(what)"), let v = string(pair.value, "the value of \(quoted(k)) in \(what)") else { continue }
                out.append((k, v, pair.key.location))
            }
        } else if let seq = node.sequence {
            for item in seq {
                guard let m = members(item, "an item of \(what)", allowed: ["Key", "Value"], required: ["Key", "Value"]),
                      let k = string(m.value("Key"), "Key"), let v = string(m.value("Value"), "Value") else { continue }
                out.append((k, v, item.location))
            }
        } else {
            error(node.location, "\(what) must be a mapping or a list of {Key, Value}, found \(node.kindDescription)")
        }
        var seen = Set<String>()
        for (k, _, at) in out where !seen.insert(k).inserted { error(at, "duplicate key \(quoted(k)) in \(what)") }
        return out
    }

    /// TagOptions: key → allowed value (or list of values).
    mutating func tagOptions(_ node: Node?, _ what: String) -> [TagOption] {
        guard let node else { return [] }
        if let s = node.scalar, s.isNull { return [] }
        guard let mapping = node.mapping else {
            error(node.location, "\(what) must be a mapping of key to allowed values, found \(node.kindDescription)")
            return []
        }
        var out: [TagOption] = []
        for pair in mapping {
            guard let key = nonEmpty(pair.key, "a TagOption key") else { continue }
            let values = strings(pair.value, "the values of TagOption \(quoted(key))")
            if values.isEmpty { error(pair.value.location, "TagOption \(quoted(key)) needs at least one value") }
            if out.contains(where: { $0.key == key }) { error(pair.key.location, "duplicate TagOption key \(quoted(key))") }
            out.append(TagOption(key: key, values: values))
        }
        return out
    }

    // MARK: the catalog

    mutating func catalog(_ root: Node) -> Catalog {
        var catalog = Catalog()
        guard let m = members(root, "the catalog", allowed: ["Region", "AccountId", "Credentials", "Products", "ProvisionedProducts"],
                              required: ["Credentials", "Products"]) else { return catalog }
        if let region = nonEmpty(m.value("Region"), "Region") { catalog.region = region }
        if let node = m.value("AccountId"), let account = string(node, "AccountId") {
            if account.count == 12, account.allSatisfy({ $0.isASCII && $0.isNumber }) {
                catalog.accountId = account
            } else {
                error(node.location, "AccountId must be 12 digits (quote it so YAML keeps it text)")
            }
        }
        let credentialNodes = list(m.value("Credentials"), "Credentials")
        if let node = m.value("Credentials"), node.sequence?.isEmpty == true {
            error(node.location, "Credentials needs at least one access key")
        }
        for item in credentialNodes {
            if let c = credential(item) {
                if catalog.credentials.contains(where: { $0.accessKeyId == c.accessKeyId }) {
                    error(item.location, "duplicate AccessKeyId \(quoted(c.accessKeyId))")
                }
                catalog.credentials.append(c)
            }
        }
        var artifactIds = Set<String>()
        for item in list(m.value("Products"), "Products") {
            guard let p = product(item, &artifactIds) else { continue }
            if catalog.products.contains(where: { $0.id == p.id }) { error(item.location, "duplicate product Id \(quoted(p.id))") }
            catalog.products.append(p)
        }
        for item in list(m.value("ProvisionedProducts"), "ProvisionedProducts") {
            guard let pp = provisionedProduct(item, catalog) else { continue }
            if catalog.provisionedProducts.contains(where: { $0.name == pp.name }) {
                error(item.location, "duplicate provisioned product Name \(quoted(pp.name))")
            }
            if catalog.provisionedProducts.contains(where: { $0.id == pp.id }) {
                error(item.location, "duplicate provisioned product Id \(quoted(pp.id))")
            }
            catalog.provisionedProducts.append(pp)
        }
        return catalog
    }

    mutating func credential(_ node: Node) -> CatalogCredential? {
        guard let m = members(node, "a credential", allowed: ["AccessKeyId", "SecretAccessKey", "SessionToken", "Expired"],
                              required: ["AccessKeyId", "SecretAccessKey"]),
              let id = nonEmpty(m.value("AccessKeyId"), "AccessKeyId"),
              let secret = nonEmpty(m.value("SecretAccessKey"), "SecretAccessKey") else { return nil }
        let token = nonEmpty(m.value("SessionToken"), "SessionToken")
        let expired = bool(m.value("Expired"), "Expired") ?? false
        return CatalogCredential(accessKeyId: id, secretAccessKey: secret, sessionToken: token, expired: expired)
    }

    mutating func product(_ node: Node, _ artifactIds: inout Set<String>) -> Product? {
        guard let m = members(node, "a product", allowed: ["Id", "Name", "TagOptions", "ProvisioningArtifacts", "LaunchPaths"],
                              required: ["Id", "Name", "ProvisioningArtifacts"]),
              let id = nonEmpty(m.value("Id"), "Id"), let name = nonEmpty(m.value("Name"), "Name") else { return nil }
        checkId(id, m.value("Id")!)
        var product = Product(id: id, name: name)
        product.tagOptions = tagOptions(m.value("TagOptions"), "TagOptions")
        for item in list(m.value("ProvisioningArtifacts"), "ProvisioningArtifacts") {
            guard let a = artifact(item) else { continue }
            if !artifactIds.insert(a.id).inserted { error(item.location, "duplicate provisioning artifact Id \(quoted(a.id))") }
            product.artifacts.append(a)
        }
        if let n = m.value("ProvisioningArtifacts"), product.artifacts.isEmpty, n.sequence?.isEmpty ?? false {
            error(n.location, "a product needs at least one provisioning artifact")
        }
        for item in list(m.value("LaunchPaths"), "LaunchPaths") {
            guard let lp = launchPath(item) else { continue }
            if product.launchPaths.contains(where: { $0.id == lp.id }) { error(item.location, "duplicate launch path Id \(quoted(lp.id))") }
            product.launchPaths.append(lp)
        }
        return product
    }

    mutating func checkId(_ id: String, _ node: Node) {
        let ok = id.unicodeScalars.count <= 100 && id.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_"
        }
        if !ok { error(node.location, "\(quoted(id)) is not a valid Id (letters, digits, '-' and '_', at most 100)") }
    }

    mutating func artifact(_ node: Node) -> ProvisioningArtifact? {
        guard let m = members(node, "a provisioning artifact",
                              allowed: ["Id", "Name", "Description", "Parameters", "Resources", "Outcome", "RecordErrors"],
                              required: ["Id", "Name"]),
              let id = nonEmpty(m.value("Id"), "Id"), let name = nonEmpty(m.value("Name"), "Name") else { return nil }
        checkId(id, m.value("Id")!)
        var a = ProvisioningArtifact(id: id, name: name, description: string(m.value("Description"), "Description"))
        for item in list(m.value("Parameters"), "Parameters") {
            guard let p = parameter(item) else { continue }
            if a.parameters.contains(where: { $0.key == p.key }) { error(item.location, "duplicate ParameterKey \(quoted(p.key))") }
            a.parameters.append(p)
        }
        for item in list(m.value("Resources"), "Resources") {
            guard let r = resource(item, parameters: a.parameters) else { continue }
            if a.resources.contains(where: { $0.logicalId == r.logicalId }) {
                error(item.location, "duplicate LogicalResourceId \(quoted(r.logicalId))")
            }
            a.resources.append(r)
        }
        if let outcome = enumValue(m.value("Outcome"), "Outcome", ExecutionOutcome.self) { a.outcome = outcome }
        for item in list(m.value("RecordErrors"), "RecordErrors") {
            guard let e = members(item, "a record error", allowed: ["Code", "Description"], required: ["Code", "Description"]),
                  let code = string(e.value("Code"), "Code"), let d = string(e.value("Description"), "Description") else { continue }
            a.recordErrors.append(RecordError(code: code, description: d))
        }
        if a.outcome == .available, let n = m.value("RecordErrors"), !a.recordErrors.isEmpty {
            error(n.location, "RecordErrors apply only with Outcome TAINTED or ERROR")
        }
        return a
    }

    mutating func parameter(_ node: Node) -> ArtifactParameter? {
        guard let m = members(node, "a parameter",
                              allowed: ["ParameterKey", "DefaultValue", "ParameterType", "IsNoEcho", "Description", "ParameterConstraints"],
                              required: ["ParameterKey"]),
              let key = nonEmpty(m.value("ParameterKey"), "ParameterKey") else { return nil }
        var p = ArtifactParameter(key: key)
        p.defaultValue = string(m.value("DefaultValue"), "DefaultValue")
        if let t = nonEmpty(m.value("ParameterType"), "ParameterType") { p.type = t }
        p.isNoEcho = bool(m.value("IsNoEcho"), "IsNoEcho") ?? false
        p.description = string(m.value("Description"), "Description")
        if let cn = m.value("ParameterConstraints"),
           let c = members(cn, "ParameterConstraints", allowed: ["AllowedValues", "AllowedPattern", "ConstraintDescription",
                                                                 "MinLength", "MaxLength", "MinValue", "MaxValue"]) {
            var pc = ParameterConstraints()
            if let v = c.value("AllowedValues") { pc.allowedValues = strings(v, "AllowedValues") }
            if let v = c.value("AllowedPattern"), let pattern = string(v, "AllowedPattern") {
                if ParameterRules.compile(pattern) == nil {
                    error(v.location, "AllowedPattern \(quoted(pattern)) is not a valid regular expression")
                } else {
                    pc.allowedPattern = pattern
                }
            }
            pc.constraintDescription = string(c.value("ConstraintDescription"), "ConstraintDescription")
            pc.minLength = int(c.value("MinLength"), "MinLength")
            pc.maxLength = int(c.value("MaxLength"), "MaxLength")
            pc.minValue = double(c.value("MinValue"), "MinValue")
            pc.maxValue = double(c.value("MaxValue"), "MaxValue")
            p.constraints = pc
        }
        if let d = p.defaultValue, let why = ParameterRules.violation(of: p, value: d) {
            error(m.value("DefaultValue")!.location, "DefaultValue does not satisfy the parameter's constraints: \(why)")
        }
        return p
    }

    mutating func resource(_ node: Node, parameters: [ArtifactParameter]) -> ArtifactResource? {
        guard let m = members(node, "a resource", allowed: ["LogicalResourceId", "ResourceType", "DependsOn"],
                              required: ["LogicalResourceId", "ResourceType"]),
              let id = nonEmpty(m.value("LogicalResourceId"), "LogicalResourceId"),
              let type = nonEmpty(m.value("ResourceType"), "ResourceType") else { return nil }
        var r = ArtifactResource(logicalId: id, type: type)
        if let deps = m.value("DependsOn") {
            var entries: [(String, Recreation, SourceLocation)] = []
            if let mapping = deps.mapping {
                for pair in mapping {
                    guard let key = string(pair.key, "a DependsOn parameter"),
                          let rec = enumValue(pair.value, "RequiresRecreation of \(quoted(key))", Recreation.self) else { continue }
                    entries.append((key, rec, pair.key.location))
                }
            } else {
                for item in list(deps, "DependsOn") {
                    if let key = string(item, "a DependsOn parameter") { entries.append((key, .never, item.location)) }
                }
            }
            for (key, rec, at) in entries {
                if !parameters.contains(where: { $0.key == key }) {
                    error(at, "DependsOn names \(quoted(key)), which is not a parameter of this artifact")
                } else if r.dependsOn.contains(where: { $0.parameter == key }) {
                    error(at, "duplicate DependsOn parameter \(quoted(key))")
                } else {
                    r.dependsOn.append((key, rec))
                }
            }
        }
        return r
    }

    mutating func launchPath(_ node: Node) -> LaunchPath? {
        guard let m = members(node, "a launch path", allowed: ["Id", "Name", "ConstraintSummaries", "TagOptions", "Tags"],
                              required: ["Id", "Name"]),
              let id = nonEmpty(m.value("Id"), "Id"), let name = nonEmpty(m.value("Name"), "Name") else { return nil }
        checkId(id, m.value("Id")!)
        var lp = LaunchPath(id: id, name: name)
        for item in list(m.value("ConstraintSummaries"), "ConstraintSummaries") {
            guard let c = members(item, "a constraint summary",
                                  allowed: ["Type", "Description", "TagUpdateOnProvisionedProduct", "TagUpdatesOnProvisionedProduct"],
                                  required: ["Type"]),
                  let type = nonEmpty(c.value("Type"), "Type") else { continue }
            var summary = ConstraintSummary(type: type, description: string(c.value("Description"), "Description"))
            if let v = c.value("TagUpdateOnProvisionedProduct", "TagUpdatesOnProvisionedProduct") {
                if type != "RESOURCE_UPDATE" {
                    error(v.location, "TagUpdateOnProvisionedProduct belongs to a RESOURCE_UPDATE constraint")
                }
                switch string(v, "TagUpdateOnProvisionedProduct") {
                case "ALLOWED": summary.tagUpdateOnProvisionedProduct = true
                case "NOT_ALLOWED": summary.tagUpdateOnProvisionedProduct = false
                case let other?: error(v.location, "TagUpdateOnProvisionedProduct must be ALLOWED or NOT_ALLOWED, found \(quoted(other))")
                case nil: break
                }
            } else if type == "RESOURCE_UPDATE" {
                error(item.location, "a RESOURCE_UPDATE constraint needs TagUpdateOnProvisionedProduct: ALLOWED or NOT_ALLOWED")
            }
            lp.constraints.append(summary)
        }
        lp.tagOptions = tagOptions(m.value("TagOptions"), "TagOptions")
        lp.tags = keyValues(m.value("Tags"), "Tags").map { Tag(key: $0.key, value: $0.value) }
        return lp
    }

    mutating func provisionedProduct(_ node: Node, _ catalog: Catalog) -> ProvisionedProductSeed? {
        guard let m = members(node, "a provisioned product",
                              allowed: ["Id", "Name", "ProductId", "ProvisioningArtifactId", "PathId", "Status", "StatusMessage",
                                        "Parameters", "Tags"],
                              required: ["Name", "ProductId", "ProvisioningArtifactId"]),
              let name = nonEmpty(m.value("Name"), "Name"),
              let productId = nonEmpty(m.value("ProductId"), "ProductId"),
              let artifactId = nonEmpty(m.value("ProvisioningArtifactId"), "ProvisioningArtifactId") else { return nil }
        if !Validation.isProvisionedProductName(name) {
            error(m.value("Name")!.location, "\(quoted(name)) is not a valid provisioned product name")
        }
        let id = nonEmpty(m.value("Id"), "Id") ?? IDs.derived("pp-", from: name)
        if let n = m.value("Id") { checkId(id, n) }
        var seed = ProvisionedProductSeed(id: id, name: name, productId: productId, artifactId: artifactId)
        guard let product = catalog.product(productId) else {
            error(m.value("ProductId")!.location, "unknown product \(quoted(productId))")
            return nil
        }
        guard let artifact = product.artifact(artifactId) else {
            error(m.value("ProvisioningArtifactId")!.location, "product \(quoted(productId)) has no provisioning artifact \(quoted(artifactId))")
            return nil
        }
        if let pathNode = m.value("PathId"), let pathId = nonEmpty(pathNode, "PathId") {
            if product.launchPath(pathId) == nil {
                error(pathNode.location, "product \(quoted(productId)) has no launch path \(quoted(pathId))")
            }
            seed.pathId = pathId
        } else if product.launchPaths.count == 1 {
            seed.pathId = product.launchPaths[0].id
        }
        if let status = enumValue(m.value("Status"), "Status", ProvisionedProductStatus.self) { seed.status = status }
        seed.statusMessage = string(m.value("StatusMessage"), "StatusMessage")
        var params: [(key: String, value: String)] = []
        for (k, v, at) in keyValues(m.value("Parameters"), "Parameters") {
            guard let p = artifact.parameter(k) else {
                error(at, "\(quoted(k)) is not a parameter of artifact \(quoted(artifactId))")
                continue
            }
            if let why = ParameterRules.violation(of: p, value: v) { error(at, "parameter \(quoted(k)): \(why)") }
            params.append((k, v))
        }
        for p in artifact.parameters where !params.contains(where: { $0.key == p.key }) {
            if let d = p.defaultValue {
                params.append((p.key, d))
            } else {
                error(m.value("Parameters")?.location ?? node.location,
                      "parameter \(quoted(p.key)) has no DefaultValue, so the provisioned product must set it")
            }
        }
        seed.parameters = params
        seed.tags = keyValues(m.value("Tags"), "Tags").map { Tag(key: $0.key, value: $0.value) }
        return seed
    }
}
