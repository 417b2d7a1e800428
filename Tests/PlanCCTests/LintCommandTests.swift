import Foundation
import Testing

@Suite struct LintCommandTests {
    @Test func examplesLintClean() throws {
        let r = try PlanCC.run(["lint", "examples"])
        #expect(r.status == 0)
        #expect(r.stdout == "")
        #expect(r.stderr == "plancc: 4 files, 5 specs: no problems\n")
    }

    @Test func badFixtures() throws {
        let r = try PlanCC.run(["lint", "Tests/PlanCoreTests/Fixtures/bad"])
        #expect(r.status == 1)
        if let d = PlanCC.golden(r.stdout, "lint-bad.txt") { Issue.record(Comment(rawValue: d)) }
        #expect(r.stderr.hasPrefix("plancc: 17 files, "))
    }

    @Test func jsonAndGithubFormats() throws {
        let file = "Tests/PlanCoreTests/Fixtures/bad/parameters.yaml"
        let json = try PlanCC.run(["lint", "--format", "json", file])
        #expect(json.status == 1)
        if let d = PlanCC.golden(json.stdout, "lint-parameters.jsonl") { Issue.record(Comment(rawValue: d)) }
        let github = try PlanCC.run(["lint", "--format", "github", file])
        #expect(github.status == 1)
        if let d = PlanCC.golden(github.stdout, "lint-parameters.github") { Issue.record(Comment(rawValue: d)) }
    }

    @Test func warningsFailOnlyWhenStrict() throws {
        let dir = try PlanCC.temporaryDirectory()
        try "PlanName: w\nPlanType: CLOUDFORMATION\nProductId: prod-a\nProvisioningArtifactId: pa-a\nProvisionedProductName: w\nTags: {team: web, Team: web}\n"
            .write(toFile: dir + "/w.yaml", atomically: true, encoding: .utf8)
        let plain = try PlanCC.run(["lint", dir + "/w.yaml"])
        #expect(plain.status == 0)
        #expect(plain.stdout == "\(dir)/w.yaml:6:19: warning: tag key 'Team' differs from 'team' (at 6:8) only in letter case [PC3003]\n")
        #expect(try PlanCC.run(["lint", "--strict", dir + "/w.yaml"]).status == 1)
        #expect(try PlanCC.run(["lint", "--disable", "tag-key-case", "--strict", dir + "/w.yaml"]).status == 0)
        #expect(try PlanCC.run(["lint", "--quiet", dir + "/w.yaml"]).stdout == "")
    }

    @Test func missingPathIsAUsageError() throws {
        let r = try PlanCC.run(["lint", "examples", "no/such/dir"])
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr == "plancc: error: cannot read 'no/such/dir': No such file or directory\n")
    }

    @Test func directoryWithoutSpecs() throws {
        let dir = try PlanCC.temporaryDirectory()
        try "not yaml".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        let r = try PlanCC.run(["lint", dir])
        #expect(r.status == 2)
        #expect(r.stderr == "plancc: error: cannot read '\(dir)': no spec files (*.yaml, *.yml) in this directory\n")
    }

    @Test func unreadableFile() throws {
        let dir = try PlanCC.temporaryDirectory()
        let r = try PlanCC.run(["lint", dir + "/missing.yaml"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("cannot read '\(dir)/missing.yaml'"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try PlanCC.run(["lint", "--no-such-flag"]).status == 2)
        #expect(try PlanCC.run(["lint", "--format", "xml", "examples"]).status == 2)
        #expect(try PlanCC.run(["lint", "--disable", "PC9999", "examples"]).status == 2)
        #expect(try PlanCC.run(["frobnicate"]).status == 2)
    }

    @Test func hostileInputNeverHangs() throws {
        let r = try PlanCC.run(["lint", "Tests/PlanCoreTests/Fixtures/bad/alias-bomb.yaml", "Tests/PlanCoreTests/Fixtures/bad/deep-nesting.yaml"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("alias bomb") && r.stdout.contains("nesting is deeper"))
    }

    @Test func hiddenAndProjectFilesAreSkipped() throws {
        let dir = try PlanCC.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/.git", withIntermediateDirectories: true)
        try "broken: [".write(toFile: dir + "/.git/x.yaml", atomically: true, encoding: .utf8)
        try "broken: [".write(toFile: dir + "/plancc.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try "PlanName: a\nPlanType: CLOUDFORMATION\nProductId: p\nProvisioningArtifactId: a\nProvisionedProductName: a\n"
            .write(toFile: dir + "/sub/a.yml", atomically: true, encoding: .utf8)
        let r = try PlanCC.run(["lint", dir])
        #expect(r.status == 0)
        #expect(r.stderr == "plancc: 1 file, 1 spec: no problems\n")
    }

    @Test func onlySpecFileNamesAreRead() throws {
        let dir = try PlanCC.temporaryDirectory()
        let good = "PlanName: a\nPlanType: CLOUDFORMATION\nProductId: p\nProvisioningArtifactId: a\nProvisionedProductName: NAME\n"
        for name in ["notes.md", "x.yaml.bak", "yaml", "plancc.yml", "a.yamlx"] {
            try "broken: [".write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        try good.replacingOccurrences(of: "NAME", with: "b").write(toFile: dir + "/real/b.yaml", atomically: true, encoding: .utf8)
        try good.replacingOccurrences(of: "NAME", with: "c").write(toFile: dir + "/c.yml", atomically: true, encoding: .utf8)
        // A symbolic link to a directory is followed like the directory itself.
        let linked = try PlanCC.temporaryDirectory()
        try good.replacingOccurrences(of: "NAME", with: "d").write(toFile: linked + "/d.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: linked)
        let r = try PlanCC.run(["lint", "--format", "json", dir])
        #expect(r.status == 0)
        #expect(r.stderr == "plancc: 3 files, 3 specs: no problems\n")
    }

    /// Many directories, found while the analysis runs: the report is in byte order of the
    /// paths, whatever the argument or directory order, and a path given twice counts once.
    @Test func reportOrderIsPathOrder() throws {
        let dir = try PlanCC.temporaryDirectory()
        var expected: [String] = []
        for d in ["b", "a", "a/z", "a/B", "é", "_"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + d, withIntermediateDirectories: true)
            for f in ["2.yaml", "10.yml", "A.yaml"] {
                let path = dir + "/" + d + "/" + f
                // Every spec has an error, so every file shows up in the report.
                try "PlanName: x\n".write(toFile: path, atomically: true, encoding: .utf8)
                expected.append(path)
            }
        }
        expected.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let r = try PlanCC.run(["lint", "--format", "json", dir + "/é", dir, dir + "/a/z/2.yaml"])
        #expect(r.status == 1)
        var seen: [String] = []
        for line in r.stdout.split(separator: "\n") {
            guard let start = line.range(of: "\"file\":\""), let end = line[start.upperBound...].firstIndex(of: "\"") else { continue }
            let file = String(line[start.upperBound..<end])
            if seen.last != file { seen.append(file) }
        }
        #expect(seen == expected)
        #expect(r.stderr.hasPrefix("plancc: 18 files, 18 specs: "))
    }
}
