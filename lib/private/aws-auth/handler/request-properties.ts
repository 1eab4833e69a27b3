import { AwsAuthResourceProperties } from './resource-properties';
import { AwsAuthMappings } from '../../../aws-auth-merge';
import { ClusterTarget, optionalString as optionalPropertyString, parseClusterTarget, requiredString as requiredPropertyString } from '../../handler/cluster-target';

/** Where the handler goes and as whom: all a Delete needs. */
export interface AwsAuthTargetProperties extends ClusterTarget {
  /** Whether a scheduled reconcile guards this owner: then deploys record its desired state and Deletes a tombstone. */
  readonly reconcile: boolean;
}

/** Validated custom-resource properties. */
export interface AwsAuthRequestProperties extends AwsAuthTargetProperties {
  /** Owner key; the physical resource id. */
  readonly ownerId: string;
  /** Entries this owner wants in aws-auth. */
  readonly mappings: AwsAuthMappings;
}

/** Reads the properties of a Create or Update, naming the property that is wrong. */
export function parseRequestProperties(raw: unknown): AwsAuthRequestProperties {
  const properties = asRecord(raw);
  return {
    ...parseTargetProperties(properties),
    ownerId: requiredString(properties, 'OwnerId'),
    mappings: parseMappings(requiredString(properties, 'Mappings')),
  };
}

/** Reads only what locates the cluster, for Deletes and for the previous cluster of an Update. */
export function parseTargetProperties(raw: unknown): AwsAuthTargetProperties {
  const properties = asRecord(raw);
  return { ...parseClusterTarget(properties), reconcile: optionalPropertyString(properties, 'Reconcile') === 'true' };
}

type PropertyName = keyof AwsAuthResourceProperties;

function asRecord(raw: unknown): { [key: string]: unknown } {
  return raw && typeof raw === 'object' ? raw as { [key: string]: unknown } : {};
}

function requiredString(properties: { [key: string]: unknown }, name: PropertyName): string {
  return requiredPropertyString(properties, name);
}

/** `Mappings` is JSON text (CloudFormation would turn nested numbers and booleans into strings otherwise). */
function parseMappings(text: string): AwsAuthMappings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`Property \`Mappings\` is not JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('Property `Mappings` must be a JSON object with `mapRoles`, `mapUsers` and/or `mapAccounts`');
  }
  // The entries themselves are validated by AwsAuthMerge, which names the data key and entry.
  return parsed as AwsAuthMappings;
}
