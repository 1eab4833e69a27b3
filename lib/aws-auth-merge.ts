import * as merge from './private/aws-auth/merge/merge-state';

/**
 * An IAM role mapped to a Kubernetes user and groups: one entry of aws-auth's `mapRoles`.
 */
export interface RoleMapping {
  /** ARN of the IAM role. It identifies the entry. */
  readonly rolearn: string;

  /**
   * Kubernetes username the role acts as. May use templates such as `system:node:{{SessionName}}`.
   *
   * @default - no username (aws-iam-authenticator derives one from the role session)
   */
  readonly username?: string;

  /**
   * Kubernetes groups the role belongs to. Order does not matter when mappings are compared.
   *
   * @default - no groups
   */
  readonly groups?: string[];
}

/**
 * An IAM user mapped to a Kubernetes user and groups: one entry of aws-auth's `mapUsers`.
 */
export interface UserMapping {
  /** ARN of the IAM user. It identifies the entry. */
  readonly userarn: string;

  /**
   * Kubernetes username the user acts as.
   *
   * @default - no username (aws-iam-authenticator derives one from the user ARN)
   */
  readonly username?: string;

  /**
   * Kubernetes groups the user belongs to. Order does not matter when mappings are compared.
   *
   * @default - no groups
   */
  readonly groups?: string[];
}

/**
 * The identity mappings of an aws-auth ConfigMap, or the subset one owner wants in it.
 */
export interface AwsAuthMappings {
  /**
   * IAM roles mapped to Kubernetes identities.
   *
   * @default - none
   */
  readonly mapRoles?: RoleMapping[];

  /**
   * IAM users mapped to Kubernetes identities.
   *
   * @default - none
   */
  readonly mapUsers?: UserMapping[];

  /**
   * AWS account ids (12 digits, as strings) whose IAM users and roles map to themselves.
   *
   * @default - none
   */
  readonly mapAccounts?: string[];
}

/**
 * The parts of the `kube-system/aws-auth` ConfigMap the merge reads and writes.
 */
export interface AwsAuthState {
  /**
   * The ConfigMap's `data`. `mapRoles`, `mapUsers` and `mapAccounts` hold YAML or JSON lists; every other key is
   * passed through untouched. A ConfigMap that does not exist yet is `{ data: {} }`.
   */
  readonly data: { [key: string]: string };

  /**
   * The ConfigMap's `metadata.annotations`, where each owner's record is kept. Annotations that are not
   * cdk-eks-fargate's are passed through untouched.
   *
   * @default - no annotations
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * Merges identity mappings into an aws-auth ConfigMap without touching what other writers put there.
 *
 * Pure functions over the ConfigMap's data and annotations (no Kubernetes or AWS calls): they never modify their
 * arguments and return the same output for the same input.
 *
 * - An entry is identified by `rolearn`, `userarn` or the account id. Two mappings are the same when their
 *   usernames are equal and their groups are the same set (order and repeats do not matter); an absent, null or
 *   empty username or groups counts as none.
 * - Entries no owner holds are never changed, removed or reordered. An owner that asks for an entry that already
 *   exists with the same mapping adopts it: such an entry stays when its last owner leaves (EKS writes the Fargate
 *   pod execution role this way in CONFIG_MAP clusters).
 * - Owners of an entry are a set: the entry goes when its last owner leaves, unless it was adopted.
 * - Ownership lives in annotations: `cdk-eks-fargate.io/owner.<first 16 hex digits of sha256(ownerId)>` holds a
 *   JSON record of the owner's id and the identities it holds; `cdk-eks-fargate.io/pre-existing` lists the held
 *   entries that were adopted.
 * - A data key whose entries do not change keeps its text byte for byte; a changed key is written as YAML, with
 *   every field and the order of the entries kept. A list that becomes empty is removed from `data`.
 */
export class AwsAuthMerge {
  /**
   * Makes the ConfigMap hold exactly `desired` for `ownerId`: adds the entries it newly wants, adopts identical
   * existing ones, updates entries it alone holds, and lets go of the entries it no longer wants (removed unless
   * another owner holds them or they were adopted). Applying the same mappings twice gives the same output,
   * byte for byte.
   *
   * @param current the ConfigMap as read
   * @param ownerId stable, readable id of the owner (e.g. the custom resource's logical path)
   * @param desired every mapping the owner wants now
   * @returns the ConfigMap to write
   * @throws when `desired` maps an entry that someone else holds (another owner, or no owner) differently; when the
   * result would map nothing to `system:nodes` while the current ConfigMap does; when an ownership annotation
   * cannot be read; when the annotations would exceed Kubernetes' 256 KiB; when a data key this owner touches is
   * malformed
   */
  public static applyOwner(current: AwsAuthState, ownerId: string, desired: AwsAuthMappings): AwsAuthState {
    return cleanErrors(() => merge.applyOwner(current, ownerId, desired));
  }

  /**
   * Lets go of every entry `ownerId` holds and drops its record. Never refused for losing the `system:nodes`
   * mapping, so a stack can always be deleted. An owner without a record is a no-op. When some ownership
   * annotation cannot be read, the owner's entries are left in place (only its record goes), since they might be
   * held elsewhere.
   *
   * @param current the ConfigMap as read
   * @param ownerId the id given to `applyOwner`
   * @returns the ConfigMap to write
   * @throws when a data key that holds the owner's entries is malformed
   */
  public static removeOwner(current: AwsAuthState, ownerId: string): AwsAuthState {
    return cleanErrors(() => merge.removeOwner(current, ownerId));
  }

  /**
   * Reads the mappings of a ConfigMap. Accepts YAML (eksctl, EKS, Terraform's quoted keys, hand edits with
   * comments) and JSON (aws-cdk-lib); empty or missing keys are empty lists, and unquoted account numbers keep the
   * digits as written.
   *
   * @param state the ConfigMap as read
   * @returns every list, empty ones included; `username` and `groups` only where the entry has them
   * @throws naming the data key (and the entry, counted from 1) when a value is not valid YAML or JSON or not a
   * list of well-formed entries
   */
  public static parse(state: AwsAuthState): AwsAuthMappings {
    return cleanErrors(() => merge.parseState(state));
  }

  private constructor() {}
}

/**
 * The merge checks what it reads. Should some input still slip past those checks (JavaScript callers can pass
 * anything), the caller gets an error that says so rather than a TypeError or RangeError from deep inside.
 */
function cleanErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new Error(`AwsAuthMerge: the input cannot be read (${error.message}); nothing was changed`);
    }
    throw error;
  }
}
