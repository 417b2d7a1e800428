"""Writes N typical plan specs (about 1 KB each, a mix of map and list forms, some with
several documents) into a directory, deterministically."""
import pathlib
import random
import sys

out = pathlib.Path(sys.argv[1])
count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
rng = random.Random(42)
teams = ["web", "data", "platform", "payments", "search", "mobile", "ml", "identity"]
envs = ["production", "staging", "development", "preview"]
out.mkdir(parents=True, exist_ok=True)
for i in range(count):
    team = rng.choice(teams)
    env = rng.choice(envs)
    name = f"{team}-{env}-{i:05d}"
    sub = out / team / env
    sub.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# {team} service in {env}, generated spec {i}.",
        f"# Owned by the {team} team; changes go through the platform review board.",
        "# yaml-language-server: $schema=../../schemas/plan-spec.schema.json",
        f"PlanName: {name}-plan",
        "PlanType: CLOUDFORMATION",
        f"ProductId: prod-{team}{rng.randrange(10**8):08d}",
        f"ProvisioningArtifactId: pa-{team}{rng.randrange(10**8):08d}",
    ]
    if rng.random() < 0.5:
        lines.append(f"PathId: lpv3-{team}{rng.randrange(10**6):06d}")
    lines.append(f"ProvisionedProductName: {name}")
    if rng.random() < 0.6:
        lines += ["ProvisioningParameters:",
                  f"  InstanceType: {rng.choice(['t3.small', 't3.medium', 't3.large', 'm6i.xlarge'])}",
                  f"  MinSize: \"{rng.randrange(1, 4)}\"",
                  f"  MaxSize: \"{rng.randrange(4, 12)}\"",
                  f"  Port: {rng.choice([80, 443, 8080, 8443])}",
                  f"  VpcCidr: 10.{rng.randrange(256)}.0.0/16",
                  "  KeyName: {UsePreviousValue: true}",
                  f"  Schedule: rate({rng.randrange(1, 60)} minutes)"]
    else:
        lines += ["ProvisioningParameters:",
                  "  - Key: InstanceType", f"    Value: {rng.choice(['t3.small', 't3.large'])}",
                  "  - Key: DesiredCount", f"    Value: \"{rng.randrange(1, 9)}\"",
                  "  - Key: LogRetentionDays", "    Value: \"30\"",
                  "  - Key: AlarmEmail", f"    Value: oncall+{team}@example.com"]
    lines += ["Tags:", f"  team: {team}", f"  environment: {env}", f"  cost-center: \"{rng.randrange(1000, 9999)}\"",
              f"  owner: {team}-owners@example.com", f"  service: {name}", "  managed-by: plancc",
              f"  data-classification: {rng.choice(['public', 'internal', 'confidential'])}",
              f"  repository: git.example.com/{team}/{name}", f"  runbook: wiki.example.com/runbooks/{team}"]
    lines += ["NotificationArns:", f"  - arn:aws:sns:us-east-1:123456789012:{team}-deploys",
              f"  - arn:aws:sns:us-east-1:123456789012:{team}-{env}-events"]
    (sub / f"{name}.plan.yaml").write_text("\n".join(lines) + "\n")
print(f"wrote {count} specs to {out}")
