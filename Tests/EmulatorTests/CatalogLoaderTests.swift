import Testing
@testable import EmulatorCore

@Suite("Catalog file")
struct CatalogLoaderTests {
    @Test func demoCatalogLoads() throws {
        let c = try loadDemoCatalog()
        #expect(c.region == "us-east-1")
        #expect(c.credentials.first?.accessKeyId == "AKIDEMULATOREXAMPLE")
        #expect(c.credentials.first?.secretAccessKey == "emulator/secret/EXAMPLEKEY")
        #expect(c.products.map(\.id) == ["prod-webapp4xqv2ab", "prod-datapipe9k2m4", "prod-netbase5w8r1"])
        let web = try #require(c.product("prod-webapp4xqv2ab"))
        #expect(web.launchPaths.count == 1)
        #expect(web.artifact("pa-webapp7zk3v2")?.parameters.map(\.key) == ["InstanceType", "Port", "MinSize", "MaxSize"])
        let data = try #require(c.product("prod-datapipe9k2m4"))
        #expect(data.launchPaths.map(\.id).first == "lpv3-datateam8x2k")
        #expect(data.launchPaths.map(\.name) == ["Data Team", "Analytics"])
        #expect(data.launchPaths[0].allowsTagUpdates)
        #expect(!data.launchPaths[1].allowsTagUpdates)
        #expect(data.artifact("pa-datapipe3v7q1")?.parameters.map(\.key) == ["BatchSize", "BucketName", "Schedule"])
        let net = try #require(c.product("prod-netbase5w8r1"))
        #expect(net.artifact("pa-netbase2c6y9")!.resources.count > 20)
        #expect(net.artifact("pa-netbase2c6y9")?.parameters.map(\.key) == ["VpcCidr", "AvailabilityZones", "EnableFlowLogs"])
        let pp = try #require(c.provisionedProducts.first)
        #expect(pp.name == "data-pipeline" && pp.status == .available)
        #expect(pp.parameters.contains { $0.key == "BucketName" })
    }

    @Test func minimalCatalogGetsDefaults() throws {
        let c = try catalog("""
            Credentials: [{AccessKeyId: A, SecretAccessKey: s}]
            Products: [{Id: prod-a, Name: A, ProvisioningArtifacts: [{Id: pa-a, Name: v1}]}]
            """)
        #expect(c.region == "us-east-1")
        #expect(c.accountId == "123456789012")
        #expect(c.products[0].launchPaths.isEmpty)
        #expect(c.products[0].artifacts[0].outcome == .available)
    }

    @Test func bothSpellingsOfTheTagUpdateConstraint() throws {
        let c = try catalog("""
            Credentials: [{AccessKeyId: A, SecretAccessKey: s}]
            Products:
              - Id: prod-a
                Name: A
                ProvisioningArtifacts: [{Id: pa-a, Name: v1}]
                LaunchPaths:
                  - {Id: lp-1, Name: One, ConstraintSummaries: [{Type: RESOURCE_UPDATE, TagUpdateOnProvisionedProduct: ALLOWED}]}
                  - {Id: lp-2, Name: Two, ConstraintSummaries: [{Type: RESOURCE_UPDATE, TagUpdatesOnProvisionedProduct: ALLOWED}]}
                  - {Id: lp-3, Name: Three, ConstraintSummaries: [{Type: RESOURCE_UPDATE, TagUpdatesOnProvisionedProduct: NOT_ALLOWED}]}
            """)
        #expect(c.products[0].launchPaths.map(\.allowsTagUpdates) == [true, true, false])
    }

    /// Each broken catalog gives one error at the right place.
    @Test(arguments: [
        ("Region: us-east-1\nProducts: []\n", "1:1", "needs Credentials"),
        ("Credentials: [{AccessKeyId: A, SecretAccessKey: s}]\nProducts: []\nColour: red\n", "3:1", "unknown key 'Colour'"),
        ("Credentials: [{AccessKeyId: A}]\nProducts: []\n", "1:15", "needs SecretAccessKey"),
        ("Credentials: [{AccessKeyId: A, SecretAccessKey: s}]\nProducts:\n  - {Id: p, Name: P, ProvisioningArtifacts: [{Id: a, Name: v, Outcome: BROKEN}]}\n",
         "3:72", "Outcome must be one of AVAILABLE, TAINTED, ERROR"),
        ("Credentials: [{AccessKeyId: A, SecretAccessKey: s}]\nProducts:\n  - {Id: p, Name: P, ProvisioningArtifacts: [{Id: a, Name: v, Resources: [{LogicalResourceId: R, ResourceType: T, DependsOn: [Nope]}]}]}\n",
         "3:127", "not a parameter of this artifact"),
        ("Credentials: [{AccessKeyId: A, SecretAccessKey: s}]\nProducts:\n  - {Id: p, Name: P, ProvisioningArtifacts: [{Id: a, Name: v}], LaunchPaths: [{Id: l, Name: L, ConstraintSummaries: [{Type: RESOURCE_UPDATE, TagUpdateOnProvisionedProduct: MAYBE}]}]}\n",
         "3:173", "ALLOWED or NOT_ALLOWED"),
        ("Credentials: [{AccessKeyId: A, SecretAccessKey: s}]\nProducts: []\nProvisionedProducts:\n  - {Name: x, ProductId: prod-nope, ProvisioningArtifactId: pa-a}\n",
         "4:26", "unknown product 'prod-nope'"),
        ("Credentials: [{AccessKeyId: A, SecretAccessKey: s}]\nProducts:\n  - {Id: p, Name: P, ProvisioningArtifacts: [{Id: a, Name: v, Parameters: [{ParameterKey: K}]}]}\nProvisionedProducts:\n  - {Name: x, ProductId: p, ProvisioningArtifactId: a, Status: AVAILABLE}\n",
         "5:5", "parameter 'K' has no DefaultValue"),
        ("Credentials: [{AccessKeyId: A, SecretAccessKey: s}]\nProducts:\n  - {Id: p, Name: P, ProvisioningArtifacts: [{Id: a, Name: v, Parameters: [{ParameterKey: K, DefaultValue: x, ParameterConstraints: {AllowedValues: [y]}}]}]}\n",
         "3:108", "DefaultValue does not satisfy"),
        ("Credentials: [{AccessKeyId: A, SecretAccessKey: s}]\nProducts:\n  - {Id: p, Name: P, ProvisioningArtifacts: [{Id: a, Name: v, Parameters: [{ParameterKey: K, ParameterConstraints: {AllowedPattern: \"[a-\"}}]}]}\n",
         "3:133", "not a valid regular expression"),
        ("Credentials: [{AccessKeyId: A, SecretAccessKey: s}]\nCredentials: []\nProducts: []\n", "2:1", "duplicate"),
        ("Credentials: [{AccessKeyId: A, SecretAccessKey: s}]\nProducts: [\n", "3:1", "invalid YAML"),
    ])
    func errorsAreLocated(yaml: String, at: String, fragment: String) throws {
        guard case .failure(let e) = loadCatalog(yaml) else {
            Issue.record("expected an error")
            return
        }
        let d = try #require(e.diagnostics.first)
        #expect("\(d.location)" == at, "\(e)")
        #expect(d.message.contains(fragment), "\(e)")
        #expect(d.description.hasPrefix("test.yaml:\(at): error: "))
    }

    @Test func allProblemsAreReportedTogether() throws {
        guard case .failure(let e) = loadCatalog("""
            Credentials: [{AccessKeyId: A, SecretAccessKey: s, Colour: red}]
            Products: [{Id: "bad id", Name: P, ProvisioningArtifacts: []}]
            Region: 7
            """) else { Issue.record("expected errors"); return }
        #expect(e.diagnostics.count == 3, "\(e)")
    }

    @Test func secretsAreNotInDescriptions() throws {
        let c = try loadDemoCatalog()
        #expect(!"\(c.credentials)".contains("EXAMPLEKEY"))
    }
}
