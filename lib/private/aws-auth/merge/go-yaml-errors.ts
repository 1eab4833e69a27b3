/** The text is not YAML that go-yaml v2 (through sigs.k8s.io/yaml) turns into JSON: EKS serves nothing from it. */
export class GoYamlError extends Error {}

/** The text may be valid, but it goes past what this library reads (documented limits): refused, never guessed. */
export class BeyondLimitsError extends Error {}
