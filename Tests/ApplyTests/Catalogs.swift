import Foundation

/// A test catalog: the demo credentials, a one-path product (with a second artifact that
/// changes resources, and one that rolls back), a two-path product and a product without
/// launch paths.
let testCatalogYAML = """
    Region: us-east-1
    AccountId: "123456789012"
    Credentials:
      - AccessKeyId: AKIDEMULATOREXAMPLE
        SecretAccessKey: emulator/secret/EXAMPLEKEY
    Products:
      - Id: prod-fleet000001
        Name: Fleet
        ProvisioningArtifacts:
          - Id: pa-fleet0000001
            Name: v1
            Parameters:
              - ParameterKey: Size
                DefaultValue: "1"
              - ParameterKey: Name
                DefaultValue: x
            Resources:
              - {LogicalResourceId: Queue, ResourceType: "AWS::SQS::Queue", DependsOn: {Size: NEVER}}
              - {LogicalResourceId: Bucket, ResourceType: "AWS::S3::Bucket", DependsOn: {Name: ALWAYS}}
              - {LogicalResourceId: Topic, ResourceType: "AWS::SNS::Topic"}
          - Id: pa-fleet0000002
            Name: v2
            Parameters:
              - ParameterKey: Size
                DefaultValue: "1"
              - ParameterKey: Name
                DefaultValue: x
            Resources:
              - {LogicalResourceId: Queue, ResourceType: "AWS::SQS::Queue", DependsOn: {Size: NEVER}}
              - {LogicalResourceId: Bucket, ResourceType: "AWS::S3::Bucket", DependsOn: {Name: ALWAYS}}
              - {LogicalResourceId: Function, ResourceType: "AWS::Lambda::Function"}
          - Id: pa-fleetrollbk1
            Name: v3 (rolls back)
            Parameters:
              - ParameterKey: Size
                DefaultValue: "1"
              - ParameterKey: Name
                DefaultValue: x
            Resources:
              - {LogicalResourceId: Queue, ResourceType: "AWS::SQS::Queue"}
            Outcome: TAINTED
            RecordErrors:
              - Code: CFN_UPDATE_ROLLBACK_COMPLETE
                Description: Queue update failed and was rolled back.
        LaunchPaths:
          - Id: lpv3-fleetpath01
            Name: Fleet Portfolio
      - Id: prod-twopaths001
        Name: Two Paths
        ProvisioningArtifacts:
          - Id: pa-twopaths0001
            Name: v1
            Resources:
              - {LogicalResourceId: Queue, ResourceType: "AWS::SQS::Queue"}
        LaunchPaths:
          - Id: lpv3-twopathsaa1
            Name: Team A
          - Id: lpv3-twopathsbb2
            Name: Team B
      - Id: prod-nopaths0001
        Name: No Paths
        ProvisioningArtifacts:
          - Id: pa-nopaths00001
            Name: v1
            Resources:
              - {LogicalResourceId: Queue, ResourceType: "AWS::SQS::Queue"}
    """

/// A spec document for the fleet product.
func fleetSpec(_ name: String, artifact: String = "pa-fleet0000001", product: String = "prod-fleet000001",
               parameters: [String: String] = [:], extra: String = "") -> String {
    var s = """
        PlanName: \(name)-plan
        PlanType: CLOUDFORMATION
        ProductId: \(product)
        ProvisioningArtifactId: \(artifact)
        ProvisionedProductName: \(name)

        """
    if !parameters.isEmpty {
        s += "ProvisioningParameters:\n"
        for k in parameters.keys.sorted() { s += "  \(k): \"\(parameters[k]!)\"\n" }
    }
    return s + extra
}

/// Writes spec documents (one file each) into a new directory; returns the file paths.
func writeSpecs(_ documents: [(file: String, text: String)], in dir: String? = nil) throws -> (dir: String, files: [String]) {
    let dir = try dir ?? Paths.temporaryDirectory()
    var files: [String] = []
    for d in documents {
        let path = dir + "/" + d.file
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try d.text.write(toFile: path, atomically: true, encoding: .utf8)
        files.append(path)
    }
    return (dir, files.sorted())
}
