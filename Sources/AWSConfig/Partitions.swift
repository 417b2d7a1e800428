/// An AWS partition as botocore's `partitions.json` (1.43.11) describes it.
public struct AWSPartition: Sendable, Equatable {
    public var id: String
    /// The partition's `regionRegex` is `^(PREFIX|…)\-\w+\-\d+$`; these are the PREFIXes.
    public var regionPrefixes: [String]
    /// Regions listed by name (matched before the pattern).
    public var regions: [String]
    public var dnsSuffix: String
    public var dualStackDnsSuffix: String
    public var supportsFIPS: Bool
    public var supportsDualStack: Bool
    public var implicitGlobalRegion: String

    /// Whether `region` belongs here: listed, or matching `^PREFIX-\w+-\d+$`.
    public func matches(_ region: String) -> Bool {
        if regions.contains(region) { return true }
        for prefix in regionPrefixes where region.hasPrefix(prefix + "-") {
            let rest = region.dropFirst(prefix.count + 1)
            guard let dash = rest.lastIndex(of: "-") else { continue }
            let word = rest[..<dash]
            let digits = rest[rest.index(after: dash)...]
            let wordOK = !word.isEmpty && word.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
            let digitsOK = !digits.isEmpty && digits.allSatisfy { $0.isNumber }
            if wordOK && digitsOK { return true }
        }
        return false
    }

    /// The partition of a region: the first that lists or matches it, else "aws" (as the
    /// endpoint rules' `aws.partition` function does).
    public static func of(region: String) -> AWSPartition {
        all.first { $0.matches(region) } ?? all[0]
    }

    public static let all: [AWSPartition] = [
        AWSPartition(id: "aws", regionPrefixes: ["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"], regions: ["af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "aws-global", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2"],
                     dnsSuffix: "amazonaws.com", dualStackDnsSuffix: "api.aws", supportsFIPS: true, supportsDualStack: true, implicitGlobalRegion: "us-east-1"),
        AWSPartition(id: "aws-cn", regionPrefixes: ["cn"], regions: ["aws-cn-global", "cn-north-1", "cn-northwest-1"],
                     dnsSuffix: "amazonaws.com.cn", dualStackDnsSuffix: "api.amazonwebservices.com.cn", supportsFIPS: true, supportsDualStack: true, implicitGlobalRegion: "cn-northwest-1"),
        AWSPartition(id: "aws-eusc", regionPrefixes: ["eusc-de"], regions: ["eusc-de-east-1"],
                     dnsSuffix: "amazonaws.eu", dualStackDnsSuffix: "api.amazonwebservices.eu", supportsFIPS: true, supportsDualStack: true, implicitGlobalRegion: "eusc-de-east-1"),
        AWSPartition(id: "aws-iso", regionPrefixes: ["us-iso"], regions: ["aws-iso-global", "us-iso-east-1", "us-iso-west-1"],
                     dnsSuffix: "c2s.ic.gov", dualStackDnsSuffix: "api.aws.ic.gov", supportsFIPS: true, supportsDualStack: true, implicitGlobalRegion: "us-iso-east-1"),
        AWSPartition(id: "aws-iso-b", regionPrefixes: ["us-isob"], regions: ["aws-iso-b-global", "us-isob-east-1", "us-isob-west-1"],
                     dnsSuffix: "sc2s.sgov.gov", dualStackDnsSuffix: "api.aws.scloud", supportsFIPS: true, supportsDualStack: true, implicitGlobalRegion: "us-isob-east-1"),
        AWSPartition(id: "aws-iso-e", regionPrefixes: ["eu-isoe"], regions: ["aws-iso-e-global", "eu-isoe-west-1"],
                     dnsSuffix: "cloud.adc-e.uk", dualStackDnsSuffix: "api.cloud-aws.adc-e.uk", supportsFIPS: true, supportsDualStack: true, implicitGlobalRegion: "eu-isoe-west-1"),
        AWSPartition(id: "aws-iso-f", regionPrefixes: ["us-isof"], regions: ["aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"],
                     dnsSuffix: "csp.hci.ic.gov", dualStackDnsSuffix: "api.aws.hci.ic.gov", supportsFIPS: true, supportsDualStack: true, implicitGlobalRegion: "us-isof-south-1"),
        AWSPartition(id: "aws-us-gov", regionPrefixes: ["us-gov"], regions: ["aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"],
                     dnsSuffix: "amazonaws.com", dualStackDnsSuffix: "api.aws", supportsFIPS: true, supportsDualStack: true, implicitGlobalRegion: "us-gov-west-1"),
    ]
}
