import Testing
@testable import AWSConfig

@Suite struct EndpointTests {
    // MARK: Rules vs botocore

    /// Every row of Fixtures/endpoints.json (botocore 1.43.11, written by
    /// scripts/awsconfig/gen_endpoint_fixtures.py): same URL and signing region, or an error
    /// where botocore gives one.
    @Test func rulesMatchBotocoreForEveryRow() throws {
        let fixture = try parseJSON(try readFixture("endpoints.json"))
        guard case .array(let rows)? = fixture["rows"] else {
            Issue.record("no rows")
            return
        }
        #expect(rows.count >= 200)
        let sandbox = Sandbox()
        var compared = 0
        for row in rows {
            let service: AWSService = row["service"]?.string == "sts" ? .sts : .serviceCatalog
            let region = row["region"]!.string!
            let fips = row["fips"] == .bool(true)
            let dualstack = row["dualstack"] == .bool(true)
            let configuration = try sandbox.configuration([
                "AWS_USE_FIPS_ENDPOINT": fips ? "true" : "false",
                "AWS_USE_DUALSTACK_ENDPOINT": dualstack ? "true" : "false",
            ])
            let label = "\(service.endpointPrefix) \(region) fips=\(fips) dualstack=\(dualstack)"
            let result = Result { try configuration.resolveEndpoint(for: service, region: region) }
            if let expectedURL = row["url"]?.string {
                guard case .success(let resolved) = result else {
                    Issue.record("\(label): botocore gives \(expectedURL), plancc fails: \(result)")
                    continue
                }
                #expect(resolved.endpoint.url() == expectedURL, "\(label)")
                #expect(resolved.signingRegion == row["signingRegion"]?.string, "\(label)")
            } else {
                if case .success(let resolved) = result {
                    Issue.record("\(label): botocore refuses (\(row["error"]?.string ?? "")), plancc gives \(resolved.endpoint)")
                }
            }
            compared += 1
        }
        #expect(compared == rows.count)
    }

    @Test func partitionTableMatchesBotocore() throws {
        let fixture = try parseJSON(try readFixture("endpoints.json"))
        guard case .array(let partitions)? = fixture["partitions"] else {
            Issue.record("no partitions")
            return
        }
        #expect(partitions.count == AWSPartition.all.count)
        for (expected, actual) in zip(partitions, AWSPartition.all) {
            #expect(expected["id"]?.string == actual.id)
            #expect(expected["dnsSuffix"]?.string == actual.dnsSuffix)
            #expect(expected["dualStackDnsSuffix"]?.string == actual.dualStackDnsSuffix)
            #expect(expected["supportsFIPS"] == .bool(actual.supportsFIPS))
            #expect(expected["supportsDualStack"] == .bool(actual.supportsDualStack))
            #expect(expected["implicitGlobalRegion"]?.string == actual.implicitGlobalRegion)
            if case .array(let regions)? = expected["regions"] {
                #expect(regions.compactMap(\.string) == actual.regions.sorted(), "\(actual.id)")
            }
            let regex = "^" + (actual.regionPrefixes.count > 1 ? "(" + actual.regionPrefixes.joined(separator: "|") + ")" : actual.regionPrefixes[0])
            let rebuilt = regex.replacingFirst("-", with: "\\-", all: true) + "\\-\\w+\\-\\d+$"
            let original = expected["regionRegex"]!.string!.replacingFirst("(de)", with: "de", all: false)
            #expect(original == rebuilt, "\(actual.id) regex")
        }
    }

    @Test func partitionMatching() {
        #expect(AWSPartition.of(region: "us-east-1").id == "aws")
        #expect(AWSPartition.of(region: "cn-northwest-1").id == "aws-cn")
        #expect(AWSPartition.of(region: "us-gov-east-1").id == "aws-us-gov")
        #expect(AWSPartition.of(region: "us-gov-2").id == "aws")       // matches aws's regex first
        #expect(AWSPartition.of(region: "us-isob-east-1").id == "aws-iso-b")
        #expect(AWSPartition.of(region: "eusc-de-east-1").id == "aws-eusc")
        #expect(AWSPartition.of(region: "local").id == "aws")          // fallback
    }

    // MARK: Precedence of configured endpoints

    @Test func precedenceOfConfiguredEndpoints() throws {
        let sandbox = Sandbox()
        sandbox.config("""
        [default]
        region = us-east-1
        services = local
        endpoint_url = https://profile.example.com
        [services local]
        service_catalog =
          endpoint_url = https://services.example.com
        sts =
          endpoint_url = https://sts.services.example.com
        """)
        let env = [
            "AWS_ENDPOINT_URL_SERVICE_CATALOG": "https://service-env.example.com",
            "AWS_ENDPOINT_URL": "https://global-env.example.com",
        ]
        func resolve(_ extra: [String: String], cli: String? = nil) throws -> ResolvedEndpoint {
            try sandbox.configuration(extra).resolveEndpoint(region: "us-east-1", commandLineURL: cli)
        }
        #expect(try resolve(env, cli: "https://cli.example.com/").endpoint.host == "cli.example.com")
        #expect(try resolve(env, cli: "https://cli.example.com/").source == "--endpoint-url")
        #expect(try resolve(env).endpoint.host == "service-env.example.com")
        #expect(try resolve(env).source == "AWS_ENDPOINT_URL_SERVICE_CATALOG")
        #expect(try resolve(["AWS_ENDPOINT_URL": "https://global-env.example.com"]).source == "AWS_ENDPOINT_URL")
        let services = try resolve([:])
        #expect(services.endpoint.host == "services.example.com")
        #expect(services.source == "services section 'local' (service_catalog) in \(sandbox.configPath)")
        // STS reads its own key of the same section.
        #expect(try sandbox.configuration().resolveEndpoint(for: .sts, region: "us-east-1").endpoint.host == "sts.services.example.com")

        // Ignoring configured endpoints: env or profile flag; --endpoint-url still wins.
        let ignored = try resolve(env.merging(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "TRUE"]) { $1 })
        #expect(ignored.endpoint.host == "servicecatalog.us-east-1.amazonaws.com")
        #expect(ignored.source == "endpoint rules (aws)")
        #expect(try resolve(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"], cli: "https://cli.example.com").source == "--endpoint-url")
        // An explicit "false" in the environment beats "true" in the profile (botocore reads env first).
        sandbox.config("[default]\nendpoint_url = https://profile.example.com\nignore_configured_endpoint_urls = true\n")
        #expect(try resolve([:]).source == "endpoint rules (aws)")
        #expect(try resolve(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false"]).source == "endpoint_url in profile 'default'")
    }

    @Test func servicesSectionMustExist() throws {
        let sandbox = Sandbox()
        sandbox.config("[default]\nservices = missing\n")
        let error = #expect(throws: AWSConfigError.self) { try sandbox.configuration().resolveEndpoint(region: "us-east-1") }
        #expect(error?.description.contains("no [services missing] section") == true)
    }

    @Test func fipsAndDualStackFromProfile() throws {
        let sandbox = Sandbox()
        sandbox.config("[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = TRUE\n")
        let resolved = try sandbox.configuration().resolveEndpoint(region: "us-west-2")
        #expect(resolved.endpoint.url() == "https://servicecatalog-fips.us-west-2.api.aws/")
        #expect(resolved.source == "endpoint rules (aws, fips, dualstack)")
        // The environment overrides the profile.
        let plain = try sandbox.configuration(["AWS_USE_FIPS_ENDPOINT": "false", "AWS_USE_DUALSTACK_ENDPOINT": "no"]).resolveEndpoint(region: "us-west-2")
        #expect(plain.endpoint.url() == "https://servicecatalog.us-west-2.amazonaws.com/")
        // FIPS settings do not apply to a custom endpoint.
        let custom = try sandbox.configuration().resolveEndpoint(region: "us-west-2", commandLineURL: "https://x.example.com")
        #expect(custom.endpoint.host == "x.example.com")
    }

    @Test func regionIsNeeded() throws {
        let sandbox = Sandbox()
        #expect(throws: AWSConfigError.self) { try sandbox.configuration().resolveEndpoint(region: nil) }
        #expect(throws: AWSConfigError.self) { try sandbox.configuration().resolveEndpoint(region: nil, commandLineURL: "http://127.0.0.1:1") }
        #expect(throws: AWSConfigError.invalidRegion(region: "bad region", source: "the region setting")) {
            try sandbox.configuration().resolveEndpoint(region: "bad region")
        }
    }

    // MARK: URLs

    @Test func parsingAndHostHeader() throws {
        func parse(_ text: String) throws -> Endpoint { try Endpoint.parse(text).get() }
        let a = try parse("https://Example.COM/custom")
        #expect(a == Endpoint(scheme: "https", host: "example.com", port: nil, basePath: "/custom"))
        #expect(a.requestPath() == "/custom/")
        #expect(a.url() == "https://example.com/custom/")
        #expect(try parse("https://example.com/custom/").basePath == "/custom")
        #expect(try parse("https://example.com").requestPath() == "/")
        #expect(try parse("https://example.com:443").hostHeader == "example.com")
        #expect(try parse("https://example.com:8443").hostHeader == "example.com:8443")
        #expect(try parse("http://127.0.0.1:80/").hostHeader == "127.0.0.1")
        #expect(try parse("http://127.0.0.1:4566").hostHeader == "127.0.0.1:4566")
        let v6 = try parse("http://[::1]:9000/base")
        #expect(v6.host == "::1")
        #expect(v6.hostHeader == "[::1]:9000")
        #expect(v6.url(path: "/x") == "http://[::1]:9000/base/x")
        #expect(try parse("  https://example.com  ").host == "example.com")
    }

    @Test func invalidURLsAreClearErrors() {
        let cases: [(String, String)] = [
            ("example.com", "it has no scheme; write it as https://host[:port][/path]"),
            ("ftp://example.com", "the scheme must be https or http, not 'ftp'"),
            ("https://", "it has no host"),
            ("https://example.com:0", "the port must be a number from 1 to 65535"),
            ("https://example.com:99999", "the port must be a number from 1 to 65535"),
            ("https://example.com:abc", "the port must be a number from 1 to 65535"),
            ("https://***@example.com", "an endpoint URL cannot contain user information"),
            ("https://example.com/?a=b", "an endpoint URL cannot have a query or fragment"),
            ("https://exa mple.com", "it contains white space"),
            ("https://[::1", "unclosed '[' in the host"),
            ("https://[zz::1]", "'zz::1' is not an IPv6 address"),
            ("https://bad!host", "'bad!host' is not a valid host name"),
            ("", "the URL is empty"),
        ]
        for (url, reason) in cases {
            #expect(throws: AWSConfigError.invalidEndpoint(url: url, source: "--endpoint-url", reason: reason)) {
                try Endpoint.validated(url, source: "--endpoint-url", allowInsecureHTTP: false)
            }
        }
    }

    @Test func plainHTTPOnlyForLoopbackUnlessAllowed() throws {
        for loopback in ["http://127.0.0.1:4566", "http://127.9.8.7", "http://localhost:1", "http://LOCALHOST", "http://[::1]:80", "http://[0:0:0:0:0:0:0:1]", "http://[::ffff:127.0.0.1]"] {
            #expect(throws: Never.self) { try Endpoint.validated(loopback, source: "x", allowInsecureHTTP: false) }
        }
        for remote in ["http://example.com", "http://10.0.0.1:4566", "http://128.0.0.1", "http://[::2]", "http://localhost.example.com", "http://127.0.0.1.nip.io"] {
            #expect(throws: AWSConfigError.insecureEndpoint(url: remote, source: "AWS_ENDPOINT_URL")) {
                try Endpoint.validated(remote, source: "AWS_ENDPOINT_URL", allowInsecureHTTP: false)
            }
            #expect(throws: Never.self) { try Endpoint.validated(remote, source: "x", allowInsecureHTTP: true) }
        }
        let error = AWSConfigError.insecureEndpoint(url: "http://example.com", source: "--endpoint-url")
        #expect(error.description.contains("--allow-http"))
        // Through the resolver.
        let sandbox = Sandbox()
        #expect(throws: AWSConfigError.insecureEndpoint(url: "http://example.com:8080", source: "AWS_ENDPOINT_URL")) {
            try sandbox.configuration(["AWS_ENDPOINT_URL": "http://example.com:8080"]).resolveEndpoint(region: "us-east-1")
        }
        let allowed = try sandbox.configuration(["AWS_ENDPOINT_URL": "http://example.com:8080"])
            .resolveEndpoint(region: "us-east-1", allowInsecureHTTP: true)
        #expect(allowed.endpoint.hostHeader == "example.com:8080")
    }

    @Test func fipsPseudoRegions() throws {
        let sandbox = Sandbox()
        let resolved = try sandbox.configuration().resolveEndpoint(region: "fips-us-gov-west-1")
        #expect(resolved.endpoint.host == "servicecatalog-fips.us-gov-west-1.amazonaws.com")
        #expect(resolved.signingRegion == "us-gov-west-1")
        let custom = try sandbox.configuration().resolveEndpoint(region: "us-east-1-fips", commandLineURL: "http://127.0.0.1:9")
        #expect(custom.signingRegion == "us-east-1")
    }

    @Test func serviceNames() {
        #expect(AWSService.serviceCatalog.environmentSuffix == "SERVICE_CATALOG")
        #expect(AWSService.serviceCatalog.configKey == "service_catalog")
        #expect(AWSService.sts.environmentSuffix == "STS")
        #expect(AWSService.sts.configKey == "sts")
    }
}
