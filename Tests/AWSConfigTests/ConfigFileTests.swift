import Testing
@testable import AWSConfig
#if canImport(Glibc)
import Glibc
#endif

/// INI parsing and the profile map, compared with what botocore reads from the same files
/// (Fixtures/config_parsing.json, written by scripts/awsconfig/gen_config_fixtures.py).
@Suite struct ConfigFileTests {
    private func jsonOf(_ sections: [String: [String: INIValue]]) -> JSONValue {
        var out: [String: JSONValue] = [:]
        for (name, values) in sections {
            var members: [String: JSONValue] = [:]
            for (key, value) in values {
                switch value {
                case .text(let t): members[key] = .string(t)
                case .nested(let n): members[key] = .object(n.mapValues { .string($0) })
                }
            }
            out[name] = .object(members)
        }
        return .object(out)
    }

    @Test func matchesBotocoreOnEveryFixtureCase() throws {
        let fixture = try parseJSON(try readFixture("config_parsing.json"))
        guard case .object(let cases)? = fixture["cases"] else {
            Issue.record("fixture has no cases")
            return
        }
        #expect(cases.count >= 20)
        for (name, entry) in cases.sorted(by: { $0.key < $1.key }) {
            let text = entry["text"]!.string!
            let parsed = Result { try INIFile.parse(text, path: "/fixture/\(name)") }
            if entry["error"] != nil {
                guard case .failure(let error) = parsed else {
                    Issue.record("case \(name): botocore rejects this file, plancc accepted it")
                    continue
                }
                guard case AWSConfigError.configSyntax(let path, let line, _)? = error as? AWSConfigError else {
                    Issue.record("case \(name): unexpected error \(error)")
                    continue
                }
                #expect(path == "/fixture/\(name)")
                #expect(line >= 1, "case \(name)")
                continue
            }
            guard case .success(let file) = parsed else {
                Issue.record("case \(name): plancc rejected a file botocore reads: \(parsed)")
                continue
            }
            let shared = AWSSharedConfig(configFilePath: "c", credentialsFilePath: "k", configFile: file, credentialsFile: nil)
            #expect(jsonOf(shared.profiles) == entry["profiles"], "profiles of case \(name)")
            #expect(jsonOf(shared.services) == entry["services"], "services of case \(name)")
            var raw: [String: [String: INIValue]] = [:]
            for section in file.sections { raw[section.name] = section.values }
            #expect(jsonOf(raw) == entry["raw"], "raw sections of case \(name)")
        }
    }

    @Test func syntaxErrorsNameFileAndLine() {
        #expect(throws: AWSConfigError.configSyntax(path: "/p/config", line: 3, message: "section [default] appears twice")) {
            try INIFile.parse("[default]\nregion = a\n[default]\n", path: "/p/config")
        }
        #expect(throws: AWSConfigError.configSyntax(path: "/p/config", line: 3, message: "'region' appears twice in section [default]")) {
            try INIFile.parse("[default]\nregion = a\nREGION = b\n", path: "/p/config")
        }
        #expect(throws: AWSConfigError.configSyntax(path: "/p/config", line: 1, message: "a setting before the first [section] header")) {
            try INIFile.parse("region = a\n", path: "/p/config")
        }
        let error = AWSConfigError.configSyntax(path: "/p/config", line: 4, message: "expected 'key = value' or a [section] header")
        #expect(error.description == "/p/config:4: expected 'key = value' or a [section] header")
    }

    @Test func credentialsFileWinsOverConfigForTheSameProfile() throws {
        let config = try INIFile.parse("[default]\nregion = us-east-1\naws_access_key_id = FROMCONFIG\n[profile ci]\nregion = eu-west-1\n", path: "c")
        let credentials = try INIFile.parse("[default]\naws_access_key_id = FROMCREDS\n[only-creds]\nregion = ap-south-1\n", path: "k")
        let shared = AWSSharedConfig(configFilePath: "c", credentialsFilePath: "k", configFile: config, credentialsFile: credentials)
        #expect(shared.value("aws_access_key_id", profile: "default") == "FROMCREDS")
        #expect(shared.value("region", profile: "default") == "us-east-1")
        #expect(shared.value("region", profile: "only-creds") == "ap-south-1")
        #expect(shared.configProfiles["default"]?["aws_access_key_id"] == .text("FROMCONFIG"))
        #expect(shared.hasProfile("ci") && shared.hasProfile("only-creds") && !shared.hasProfile("missing"))
    }

    @Test func filesComeFromVariablesOrHome() throws {
        let sandbox = Sandbox()
        // Default locations under the home directory.
        mkdir(sandbox.directory + "/.aws", 0o700)
        sandbox.write(".aws/config", "[profile home]\nregion = eu-west-2\n")
        sandbox.write(".aws/credentials", "[home]\naws_access_key_id = AKIAHOME\naws_secret_access_key = s\n")
        let environment = AWSEnvironment(variables: [:], homeDirectory: sandbox.directory)
        let files = try AWSSharedConfig.load(environment: environment)
        #expect(files.configFilePath == sandbox.directory + "/.aws/config")
        #expect(files.credentialsFilePath == sandbox.directory + "/.aws/credentials")
        #expect(files.value("region", profile: "home") == "eu-west-2")
        #expect(files.value("aws_access_key_id", profile: "home") == "AKIAHOME")

        // AWS_CONFIG_FILE with ~ and $VAR expansion; a missing credentials file is empty.
        sandbox.write("other-config", "[default]\nregion = sa-east-1\n")
        let custom = AWSEnvironment(
            variables: ["AWS_CONFIG_FILE": "~/other-config", "AWS_SHARED_CREDENTIALS_FILE": "$SANDBOX/none", "SANDBOX": sandbox.directory],
            homeDirectory: sandbox.directory)
        let files2 = try AWSSharedConfig.load(environment: custom)
        #expect(files2.configFilePath == sandbox.directory + "/other-config")
        #expect(files2.credentialsFilePath == sandbox.directory + "/none")
        #expect(files2.value("region", profile: "default") == "sa-east-1")
        #expect(files2.credentialsFileExists == false)
    }

    @Test func unreadableFileIsAnError() throws {
        guard getuid() != 0 else { return }  // root reads everything
        let sandbox = Sandbox()
        sandbox.write("config", "[default]\n", mode: 0o000)
        #expect(throws: AWSConfigError.self) { try sandbox.configuration() }
    }

    @Test func invalidUTF8IsAnError() throws {
        let environment = AWSEnvironment(
            variables: ["AWS_CONFIG_FILE": "/c"], homeDirectory: "/h",
            readFile: { path in path == "/c" ? [0x5B, 0xFF, 0x5D] : nil })
        #expect(throws: AWSConfigError.fileUnreadable(path: "/c", reason: "not valid UTF-8")) {
            try AWSSharedConfig.load(environment: environment)
        }
    }

    @Test func profileSelectionOrder() {
        let env = AWSEnvironment(variables: ["AWS_PROFILE": "p", "AWS_DEFAULT_PROFILE": "dp"], homeDirectory: nil)
        #expect(ProfileSelection.select(commandLine: "cli", environment: env) == ProfileSelection(name: "cli", origin: .commandLine))
        // botocore reads AWS_DEFAULT_PROFILE before AWS_PROFILE.
        #expect(ProfileSelection.select(commandLine: nil, environment: env) == ProfileSelection(name: "dp", origin: .environment("AWS_DEFAULT_PROFILE")))
        let env2 = AWSEnvironment(variables: ["AWS_PROFILE": "p", "AWS_DEFAULT_PROFILE": ""], homeDirectory: nil)
        #expect(ProfileSelection.select(commandLine: nil, environment: env2).name == "p")
        let env3 = AWSEnvironment(variables: [:], homeDirectory: nil)
        #expect(ProfileSelection.select(commandLine: nil, environment: env3) == ProfileSelection(name: "default", origin: .implicitDefault))
    }

    @Test func explicitProfileMustExist() throws {
        let sandbox = Sandbox()
        sandbox.config("[profile a]\nregion = us-east-1\n")
        sandbox.credentials("[b]\naws_access_key_id = AKIAB\naws_secret_access_key = s\n")
        #expect(try sandbox.configuration(profile: "a").profile.name == "a")
        #expect(try sandbox.configuration(profile: "b").profile.name == "b")
        // A missing *default* profile is fine.
        #expect(try sandbox.configuration().profile.name == "default")
        let error = #expect(throws: AWSConfigError.self) { try sandbox.configuration(["AWS_PROFILE": "nope"]) }
        #expect(error?.description == "the profile 'nope' (from AWS_PROFILE) is in neither \(sandbox.configPath) nor \(sandbox.credentialsPath)")
        #expect(throws: AWSConfigError.self) { try sandbox.configuration(profile: "zzz") }
    }

    @Test func shellSplitLikePython() {
        #expect(shellSplit(#"a "b c" d"#) == ["a", "b c", "d"])
        #expect(shellSplit(#"a\ b"#) == ["a b"])
        #expect(shellSplit(#""x\\y\"z$""#) == [#"x\y"z$"#])
        #expect(shellSplit("'it''s'") == ["its"])
        #expect(shellSplit("'open") == nil)
        #expect(shellSplit("  ") == [])
    }
}
