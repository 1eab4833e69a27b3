import * as fs from 'fs';
import * as path from 'path';

/** The partitions the controller publishes an IAM policy for and this library ships. */
export const POLICY_PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;

/** A partition with a shipped policy. */
export type PolicyPartition = typeof POLICY_PARTITIONS[number];

/** An IAM policy document as the controller publishes it. */
export interface ControllerPolicyDocument {
  readonly Version: string;
  readonly Statement: ReadonlyArray<Record<string, unknown>>;
}

/** Folder of the policy files; beside this file in `lib/` both as TypeScript and once compiled. */
export const POLICY_DIRECTORY = path.join(__dirname, 'policies');

/** Path of the shipped policy file of a partition. */
export function policyFile(partition: PolicyPartition): string {
  return path.join(POLICY_DIRECTORY, `iam-policy-${partition}.json`);
}

/**
 * The controller's published IAM policy for a partition, read from the file shipped with the library (see
 * `policies/README.md` for its source). Throws, naming the file, when it is missing or not a policy document.
 */
export function controllerPolicy(partition: PolicyPartition): ControllerPolicyDocument {
  const file = policyFile(partition);
  const document = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (typeof document?.Version !== 'string' || !Array.isArray(document.Statement) || document.Statement.length === 0) {
    throw new Error(`${file} is not an IAM policy document (needs Version and a non-empty Statement array); `
      + 'restore it from the controller release named in policies/README.md.');
  }
  return document;
}
