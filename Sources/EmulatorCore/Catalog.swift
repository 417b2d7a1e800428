/// What the emulator serves: products, artifacts, launch paths, TagOptions, credentials and
/// the provisioned products that exist when it starts. Built from a catalog file
/// (`CatalogLoader`) or directly in tests.
public struct Catalog: Sendable {
    public var region: String
    public var accountId: String
    public var credentials: [CatalogCredential]
    public var products: [Product]
    public var provisionedProducts: [ProvisionedProductSeed]

    public init(region: String = "us-east-1", accountId: String = "123456789012",
                credentials: [CatalogCredential] = [], products: [Product] = [],
                provisionedProducts: [ProvisionedProductSeed] = []) {
        self.region = region
        self.accountId = accountId
        self.credentials = credentials
        self.products = products
        self.provisionedProducts = provisionedProducts
    }

    public func product(_ id: String) -> Product? { products.first { $0.id == id } }
}

/// One access key the emulator accepts. `description` hides the secret and the token.
public struct CatalogCredential: Sendable, CustomStringConvertible {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// Requests signed with this key answer `ExpiredTokenException`.
    public var expired: Bool

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expired: Bool = false) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expired = expired
    }

    public var description: String { "CatalogCredential(\(accessKeyId), secret: <redacted>)" }
}

/// A product with its artifacts, launch paths and product-level TagOptions.
public struct Product: Sendable {
    public var id: String
    public var name: String
    public var artifacts: [ProvisioningArtifact]
    public var launchPaths: [LaunchPath]
    /// TagOption key → allowed values, associated with the product.
    public var tagOptions: [TagOption]

    public init(id: String, name: String, artifacts: [ProvisioningArtifact] = [],
                launchPaths: [LaunchPath] = [], tagOptions: [TagOption] = []) {
        self.id = id
        self.name = name
        self.artifacts = artifacts
        self.launchPaths = launchPaths
        self.tagOptions = tagOptions
    }

    public func artifact(_ id: String) -> ProvisioningArtifact? { artifacts.first { $0.id == id } }
    public func launchPath(_ id: String) -> LaunchPath? { launchPaths.first { $0.id == id } }
}

public struct TagOption: Sendable, Equatable {
    public var key: String
    public var values: [String]
    public init(key: String, values: [String]) {
        self.key = key
        self.values = values
    }
}

/// How the stack ends when a plan for this artifact is executed.
public enum ExecutionOutcome: String, Sendable, CaseIterable {
    case available = "AVAILABLE"
    case tainted = "TAINTED"
    case error = "ERROR"
}

public struct RecordError: Sendable, Equatable {
    public var code: String
    public var description: String
    public init(code: String, description: String) {
        self.code = code
        self.description = description
    }
}

public struct ProvisioningArtifact: Sendable {
    public var id: String
    public var name: String
    public var description: String?
    public var parameters: [ArtifactParameter]
    public var resources: [ArtifactResource]
    public var outcome: ExecutionOutcome
    /// Reported on the execution's record when `outcome` is not AVAILABLE.
    public var recordErrors: [RecordError]

    public init(id: String, name: String, description: String? = nil, parameters: [ArtifactParameter] = [],
                resources: [ArtifactResource] = [], outcome: ExecutionOutcome = .available,
                recordErrors: [RecordError] = []) {
        self.id = id
        self.name = name
        self.description = description
        self.parameters = parameters
        self.resources = resources
        self.outcome = outcome
        self.recordErrors = recordErrors
    }

    public func parameter(_ key: String) -> ArtifactParameter? { parameters.first { $0.key == key } }
}

/// `ParameterConstraints` of DescribeProvisioningParameters. Numbers are kept as the text
/// AWS sends (strings on the wire).
public struct ParameterConstraints: Sendable, Equatable {
    public var allowedValues: [String]?
    public var allowedPattern: String?
    public var constraintDescription: String?
    public var minLength: Int?
    public var maxLength: Int?
    public var minValue: Double?
    public var maxValue: Double?

    public init(allowedValues: [String]? = nil, allowedPattern: String? = nil, constraintDescription: String? = nil,
                minLength: Int? = nil, maxLength: Int? = nil, minValue: Double? = nil, maxValue: Double? = nil) {
        self.allowedValues = allowedValues
        self.allowedPattern = allowedPattern
        self.constraintDescription = constraintDescription
        self.minLength = minLength
        self.maxLength = maxLength
        self.minValue = minValue
        self.maxValue = maxValue
    }

    public var isEmpty: Bool {
        allowedValues == nil && allowedPattern == nil && constraintDescription == nil && minLength == nil
            && maxLength == nil && minValue == nil && maxValue == nil
    }
}

public struct ArtifactParameter: Sendable {
    public var key: String
    public var defaultValue: String?
    public var type: String
    public var isNoEcho: Bool
    public var description: String?
    public var constraints: ParameterConstraints

    public init(key: String, defaultValue: String? = nil, type: String = "String", isNoEcho: Bool = false,
                description: String? = nil, constraints: ParameterConstraints = ParameterConstraints()) {
        self.key = key
        self.defaultValue = defaultValue
        self.type = type
        self.isNoEcho = isNoEcho
        self.description = description
        self.constraints = constraints
    }
}

/// `RequiresRecreation` of a resource property that follows a parameter.
public enum Recreation: String, Sendable, CaseIterable {
    case never = "NEVER"
    case conditionally = "CONDITIONALLY"
    case always = "ALWAYS"
}

/// A resource of the artifact's template, reduced to what plans report: which parameters it
/// depends on, and whether a change of each forces replacement.
public struct ArtifactResource: Sendable {
    public var logicalId: String
    public var type: String
    public var dependsOn: [(parameter: String, recreation: Recreation)]

    public init(logicalId: String, type: String, dependsOn: [(parameter: String, recreation: Recreation)] = []) {
        self.logicalId = logicalId
        self.type = type
        self.dependsOn = dependsOn
    }
}

public struct ConstraintSummary: Sendable, Equatable {
    public var type: String
    public var description: String?
    /// For RESOURCE_UPDATE constraints: the `TagUpdateOnProvisionedProduct` property.
    public var tagUpdateOnProvisionedProduct: Bool?

    public init(type: String, description: String? = nil, tagUpdateOnProvisionedProduct: Bool? = nil) {
        self.type = type
        self.description = description
        self.tagUpdateOnProvisionedProduct = tagUpdateOnProvisionedProduct
    }
}

/// A launch path: the product as seen through one portfolio.
public struct LaunchPath: Sendable {
    public var id: String
    /// The portfolio's display name (`LaunchPathSummary.Name`).
    public var name: String
    public var constraints: [ConstraintSummary]
    /// TagOptions associated with the portfolio.
    public var tagOptions: [TagOption]
    public var tags: [Tag]

    public init(id: String, name: String, constraints: [ConstraintSummary] = [], tagOptions: [TagOption] = [], tags: [Tag] = []) {
        self.id = id
        self.name = name
        self.constraints = constraints
        self.tagOptions = tagOptions
        self.tags = tags
    }

    /// True only with a RESOURCE_UPDATE constraint set to ALLOWED; no constraint means NOT_ALLOWED.
    public var allowsTagUpdates: Bool {
        constraints.contains { $0.type == "RESOURCE_UPDATE" && $0.tagUpdateOnProvisionedProduct == true }
    }
}

public struct Tag: Sendable, Equatable, Hashable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

public enum ProvisionedProductStatus: String, Sendable, CaseIterable {
    case available = "AVAILABLE"
    case underChange = "UNDER_CHANGE"
    case tainted = "TAINTED"
    case error = "ERROR"
    case planInProgress = "PLAN_IN_PROGRESS"
}

/// A provisioned product that exists when the emulator starts.
public struct ProvisionedProductSeed: Sendable {
    public var id: String
    public var name: String
    public var productId: String
    public var artifactId: String
    public var pathId: String?
    public var status: ProvisionedProductStatus
    public var statusMessage: String?
    public var parameters: [(key: String, value: String)]
    public var tags: [Tag]

    public init(id: String, name: String, productId: String, artifactId: String, pathId: String? = nil,
                status: ProvisionedProductStatus = .available, statusMessage: String? = nil,
                parameters: [(key: String, value: String)] = [], tags: [Tag] = []) {
        self.id = id
        self.name = name
        self.productId = productId
        self.artifactId = artifactId
        self.pathId = pathId
        self.status = status
        self.statusMessage = statusMessage
        self.parameters = parameters
        self.tags = tags
    }
}
