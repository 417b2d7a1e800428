import Testing
@testable import AWSConfig

@Suite struct RegionTests {
    @Test func precedence() throws {
        let sandbox = Sandbox()
        sandbox.config("[default]\nregion = from-profile-1\n[profile other]\nregion = ap-south-1\n")
        let all = ["AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-west-2"]
        #expect(try sandbox.configuration(all).resolveRegion(commandLine: "ca-central-1") == ResolvedRegion(name: "ca-central-1", source: "--region"))
        #expect(try sandbox.configuration(all).resolveRegion(commandLine: nil) == ResolvedRegion(name: "eu-west-1", source: "AWS_REGION"))
        #expect(try sandbox.configuration(["AWS_DEFAULT_REGION": "us-west-2"]).resolveRegion(commandLine: nil).source == "AWS_DEFAULT_REGION")
        let fromProfile = try sandbox.configuration().resolveRegion(commandLine: nil)
        #expect(fromProfile == ResolvedRegion(name: "from-profile-1", source: "profile 'default' in \(sandbox.configPath)"))
        #expect(try sandbox.configuration(profile: "other").resolveRegion(commandLine: nil).name == "ap-south-1")
        // Empty values are skipped.
        #expect(try sandbox.configuration(["AWS_REGION": "", "AWS_DEFAULT_REGION": ""]).resolveRegion(commandLine: "").name == "from-profile-1")
    }

    @Test func regionInCredentialsFileCounts() throws {
        // botocore merges the credentials file into the profile; so does plancc.
        let sandbox = Sandbox()
        sandbox.credentials("[default]\nregion = eu-north-1\n")
        #expect(try sandbox.configuration().resolveRegion(commandLine: nil).name == "eu-north-1")
    }

    @Test func missingRegionListsWhatWasTried() throws {
        let sandbox = Sandbox()
        let error = #expect(throws: AWSConfigError.self) { try sandbox.configuration().resolveRegion(commandLine: nil) }
        #expect(error == .noRegion(tried: ["--region", "AWS_REGION", "AWS_DEFAULT_REGION", "profile 'default' in \(sandbox.configPath)"]))
        #expect(error?.description == "no region: tried --region, AWS_REGION, AWS_DEFAULT_REGION, profile 'default' in \(sandbox.configPath); set --region or AWS_REGION")
        #expect(try sandbox.configuration().region(commandLine: nil) == nil)
    }

    @Test func malformedRegionIsRejected() throws {
        let sandbox = Sandbox()
        for bad in ["us east 1", "-us-east-1", "us-east-1-", "12345", "us_east_1", "a.b", String(repeating: "a", count: 64)] {
            let error = #expect(throws: AWSConfigError.self) { try sandbox.configuration(["AWS_REGION": bad]).resolveRegion(commandLine: nil) }
            #expect(error == .invalidRegion(region: bad, source: "AWS_REGION"))
        }
        for good in ["us-east-1", "fips-us-gov-west-1", "local", "x1"] {
            #expect(isValidRegionName(good))
        }
    }
}
