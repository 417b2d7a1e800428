import SigV4
import Testing
@testable import EmulatorCore

/// The repository root, found from this file's path.
let repoRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/EmulatorTests/TestSupport.swift
    return parts.joined(separator: "/")
}()

let demoCatalogPath = repoRoot + "/examples/emulator/catalog.yaml"

func loadDemoCatalog() throws -> Catalog {
    let bytes = try readFileBytes(demoCatalogPath)
    switch CatalogLoader.load(bytes: bytes, file: "catalog.yaml") {
    case .success(let c): return c
    case .failure(let e): throw e
    }
}

func loadCatalog(_ yaml: String) -> Result<Catalog, CatalogLoadError> {
    CatalogLoader.load(bytes: Array(yaml.utf8), file: "test.yaml")
}

func catalog(_ yaml: String) throws -> Catalog {
    switch loadCatalog(yaml) {
    case .success(let c): return c
    case .failure(let e): throw e
    }
}

let t0: Double = 1_767_225_600  // 2026-01-01T00:00:00Z

/// A small catalog for the rule tests: one product with one path, one with two, one with none.
let rulesCatalogYAML = """
    Region: us-east-1
    Credentials:
      - {AccessKeyId: AKIDTEST, SecretAccessKey: test/secret}
    Products:
      - Id: prod-one
        Name: One Path
        TagOptions:
          env: [dev, prod]
          team: [a, b]
        ProvisioningArtifacts:
          - Id: pa-one
            Name: v1
            Parameters:
              - ParameterKey: Size
                ParameterType: Number
                DefaultValue: "2"
                ParameterConstraints: {MinValue: 1, MaxValue: 10}
              - ParameterKey: Name
                ParameterConstraints: {AllowedPattern: "[a-z]+", MinLength: 3, MaxLength: 8}
              - ParameterKey: Kind
                DefaultValue: small
                ParameterConstraints: {AllowedValues: [small, large]}
              - ParameterKey: Password
                IsNoEcho: true
                DefaultValue: "hunter22"
            Resources:
              - {LogicalResourceId: Bucket, ResourceType: "AWS::S3::Bucket", DependsOn: {Name: ALWAYS}}
              - {LogicalResourceId: Fleet, ResourceType: "AWS::AutoScaling::AutoScalingGroup", DependsOn: {Size: NEVER, Kind: CONDITIONALLY}}
              - {LogicalResourceId: Alarm, ResourceType: "AWS::CloudWatch::Alarm", DependsOn: [Size]}
          - Id: pa-two
            Name: v2
            Parameters:
              - {ParameterKey: Size, ParameterType: Number, DefaultValue: "2"}
              - {ParameterKey: Name, DefaultValue: abc}
              - {ParameterKey: Extra, DefaultValue: x}
            Resources:
              - {LogicalResourceId: Bucket, ResourceType: "AWS::S3::Bucket", DependsOn: {Name: ALWAYS}}
              - {LogicalResourceId: Queue, ResourceType: "AWS::SQS::Queue"}
          - Id: pa-taint
            Name: v3
            Parameters:
              - {ParameterKey: Name, DefaultValue: abc}
            Resources:
              - {LogicalResourceId: Bucket, ResourceType: "AWS::S3::Bucket"}
            Outcome: TAINTED
            RecordErrors:
              - {Code: CFN_UPDATE_ROLLBACK_COMPLETE, Description: rolled back}
          - Id: pa-error
            Name: v4
            Parameters:
              - {ParameterKey: Name, DefaultValue: abc}
            Resources:
              - {LogicalResourceId: Bucket, ResourceType: "AWS::S3::Bucket"}
            Outcome: ERROR
        LaunchPaths:
          - Id: lp-one
            Name: Portfolio One
            TagOptions:
              env: [prod, staging]
            ConstraintSummaries:
              - {Type: RESOURCE_UPDATE, TagUpdateOnProvisionedProduct: NOT_ALLOWED}
      - Id: prod-two
        Name: Two Paths
        ProvisioningArtifacts:
          - Id: pa-x
            Name: v1
            Parameters:
              - {ParameterKey: P, DefaultValue: "1"}
            Resources:
              - {LogicalResourceId: R, ResourceType: "AWS::SNS::Topic", DependsOn: [P]}
        LaunchPaths:
          - {Id: lp-alpha, Name: Alpha, ConstraintSummaries: [{Type: RESOURCE_UPDATE, TagUpdatesOnProvisionedProduct: ALLOWED}]}
          - {Id: lp-beta, Name: Beta}
      - Id: prod-none
        Name: No Paths
        ProvisioningArtifacts:
          - {Id: pa-none, Name: v1}
    ProvisionedProducts:
      - {Name: live, Id: pp-live, ProductId: prod-one, ProvisioningArtifactId: pa-one, Status: AVAILABLE,
         Parameters: {Name: abcd, Size: "3"}, Tags: {env: prod}}
      - {Name: busy, Id: pp-busy, ProductId: prod-one, ProvisioningArtifactId: pa-one, Status: UNDER_CHANGE,
         Parameters: {Name: abcd}}
      - {Name: broken, Id: pp-broken, ProductId: prod-one, ProvisioningArtifactId: pa-one, Status: ERROR,
         StatusMessage: stack failed, Parameters: {Name: abcd}}
      - {Name: shaky, Id: pp-shaky, ProductId: prod-one, ProvisioningArtifactId: pa-one, Status: TAINTED,
         Parameters: {Name: abcd}}
      - {Name: twopaths, Id: pp-two, ProductId: prod-two, ProvisioningArtifactId: pa-x, PathId: lp-alpha,
         Tags: {team: x}}
    """

func rulesCatalog() throws -> Catalog { try catalog(rulesCatalogYAML) }

/// A state machine on the rules catalog.
func rulesState(planDelay: Double = 0, executeDelay: Double = 0) throws -> ServiceState {
    ServiceState(catalog: try rulesCatalog(), timing: ServiceTiming(planDelay: planDelay, executeDelay: executeDelay), now: t0)
}

func json(_ text: String) -> JSON {
    do { return try JSON.parse(text) } catch { fatalError("bad test JSON: \(error): \(text)") }
}

extension ServiceState {
    /// Runs an operation with a JSON text body.
    mutating func call(_ op: Operation, _ body: String, at now: Double = t0) -> Result<JSON, ServiceError> {
        handle(op, json(body), now: now)
    }

    mutating func create(_ fields: String, token: String = "tok-\(Int.random(in: 0..<1_000_000_000))", at now: Double = t0) -> Result<JSON, ServiceError> {
        call(.createProvisionedProductPlan,
             "{\"PlanName\":\"p\",\"PlanType\":\"CLOUDFORMATION\",\"IdempotencyToken\":\"\(token)\",\(fields)}", at: now)
    }

    mutating func plan(_ id: String, at now: Double = t0, page: String = "") -> JSON {
        let extra = page.isEmpty ? "" : ",\(page)"
        return orRecord(call(.describeProvisionedProductPlan, "{\"PlanId\":\"\(id)\"\(extra)}", at: now))
    }

    mutating func product(_ name: String, at now: Double = t0) -> JSON {
        orRecord(call(.describeProvisionedProduct, "{\"Name\":\"\(name)\"}", at: now))["ProvisionedProductDetail"] ?? .null
    }
}

/// The value, or null with a recorded issue (a failed lookup must not crash the test run).
func orRecord(_ r: Result<JSON, ServiceError>, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> JSON {
    switch r {
    case .success(let v): return v
    case .failure(let e):
        Issue.record("unexpected \(e)", sourceLocation: sourceLocation)
        return .null
    }
}

extension Result where Success == JSON, Failure == ServiceError {
    var error: ServiceError? { if case .failure(let e) = self { return e }; return nil }
    var value: JSON? { if case .success(let v) = self { return v }; return nil }
}

/// Signs a request as plancc will: with the SigV4 module's signer, over Content-Type, Host,
/// X-Amz-Date, X-Amz-Target and the session token.
func signedHeaders(body: [UInt8], target: String, accessKey: String = "AKIDEMULATOREXAMPLE",
                   secret: String = "emulator/secret/EXAMPLEKEY", token: String? = nil, region: String = "us-east-1",
                   host: String = "localhost", time: Double) -> [(name: String, value: String)] {
    let request = SignableRequest(method: "POST", path: "/", headers: [
        HTTPHeader("Content-Type", "application/x-amz-json-1.1"),
        HTTPHeader("Host", host),
        HTTPHeader("X-Amz-Target", target),
    ], body: body)
    let signed = SigV4Signer(service: "servicecatalog", region: region).sign(
        request, credentials: Credentials(accessKeyId: accessKey, secretAccessKey: secret, sessionToken: token),
        time: SigningTime(secondsSince1970: Int64(time)))
    return signed.headers.map { ($0.name, $0.value) }
}

/// A signed EmulatorRequest for an operation.
func signedRequest(_ op: String, _ body: String, time: Double, accessKey: String = "AKIDEMULATOREXAMPLE",
                   secret: String = "emulator/secret/EXAMPLEKEY", token: String? = nil) -> EmulatorRequest {
    let bytes = Array(body.utf8)
    return EmulatorRequest(method: "POST", uri: "/", headers: signedHeaders(
        body: bytes, target: "AWS242ServiceCatalogService.\(op)", accessKey: accessKey, secret: secret, token: token, time: time),
        body: bytes)
}
