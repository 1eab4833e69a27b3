import { KeyReading, readAccounts, readRoles, readUsers, RoleEntry, UserEntry } from './eks-reader';
import { MappingEntry, MappingKind } from './mapping-entries';
import { mapsToNodes, NODES_GROUP } from '../../shared/kubernetes-groups';

/** A data key as read: its text and the model's reading of it. */
export interface KeyContent {
  readonly kind: MappingKind;
  readonly text: string | undefined;
  readonly reading: KeyReading<unknown>;
  /** The entries in document order, aligned with the YAML list's items; `undefined` where EKS drops one. */
  readonly current: readonly (MappingEntry | undefined)[];
}

type StringMap = { readonly [key: string]: unknown };

/**
 * The mapping keys of a ConfigMap's data, each read with the model at most once and only when needed. Readings
 * made elsewhere (an edit's read-back) are carried over, so no text is read twice.
 */
export class DataKeys {
  private readonly contents: Map<MappingKind, KeyContent>;

  /**
   * @param data the ConfigMap's data
   * @param known readings of some keys' current text in `data`
   */
  constructor(public readonly data: StringMap, known: readonly KeyContent[] = []) {
    this.contents = new Map(known.map((content) => [content.kind, content]));
  }

  public content(kind: MappingKind): KeyContent {
    let content = this.contents.get(kind);
    if (content === undefined) {
      content = readKeyContent(kind, keyText(this.data, kind));
      this.contents.set(kind, content);
    }
    return content;
  }

  /** The readings already made, for a DataKeys of data that shares these keys' text. */
  public readings(): KeyContent[] {
    return [...this.contents.values()];
  }
}

/** A mapping key's text; a value that is not a string is refused, naming the key. */
export function keyText(data: StringMap, kind: MappingKind): string | undefined {
  const value = data[kind];
  if (value !== undefined && typeof value !== 'string') {
    throw new Error(`aws-auth data key \`${kind}\` is not a string, found ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

/** Reads one mapping key's text with the model. */
export function readKeyContent(kind: MappingKind, text: string | undefined): KeyContent {
  if (kind === 'mapAccounts') {
    const reading = readAccounts(text);
    const items = Array.isArray(reading.value) ? reading.value : [];
    let next = 0;
    const current = items.map((item): MappingEntry | undefined => {
      if (item instanceof Map || Array.isArray(item)) {
        return undefined;
      }
      const account = reading.entries[next++];
      return { identity: account, arn: account };
    });
    return { kind, text, reading, current };
  }
  const reading: KeyReading<RoleEntry | UserEntry> = kind === 'mapRoles' ? readRoles(text) : readUsers(text);
  return { kind, text, reading, current: reading.entries.map(entryOf) };
}

function entryOf(entry: RoleEntry | UserEntry): MappingEntry | undefined {
  if (!entry.valid) {
    return undefined;
  }
  const mapping = entry.mapping;
  const arn = 'userarn' in mapping ? mapping.userarn : mapping.rolearn;
  const sso = 'sso' in mapping && mapping.sso !== undefined;
  return {
    identity: entry.identity!,
    arn: sso ? entry.identity! : arn,
    ...(mapping.username === '' ? {} : { username: mapping.username }),
    ...(mapping.groups === null ? {} : { groups: mapping.groups }),
    ...(sso ? { ssoPattern: entry.identity! } : {}),
  };
}

/**
 * Whether EKS would let some role or user into `system:nodes` with this data: a served role mapping (`rolearn`;
 * `sso` entries only match behind an alpha feature gate) or user mapping that lists the group. The last valid
 * entry of an identity is the one served.
 */
export function servesNodesGroup(keys: DataKeys): boolean {
  return (['mapRoles', 'mapUsers'] as const).some((kind) => {
    const served = new Map<string, MappingEntry>();
    keys.content(kind).current.forEach((entry) => {
      if (entry !== undefined && entry.ssoPattern === undefined) {
        served.set(kind === 'mapRoles' ? entry.identity : entry.arn, entry);
      }
    });
    return [...served.values()].some((entry) => mapsToNodes(entry.groups));
  });
}

/**
 * The one `system:nodes` guard: an update whose result serves no `system:nodes` mapping where the data it
 * started from did is refused (nodes and Fargate pods could no longer join). Removing an owner is never refused.
 *
 * @throws Error naming the rule and the fix
 */
export function refuseLosingNodes(before: DataKeys, after: DataKeys, action: string): void {
  if (!servesNodesGroup(before) || servesNodesGroup(after)) {
    return;
  }
  throw new Error(`Refusing to update aws-auth ${action}: it would remove the last aws-auth mapping to the \`${NODES_GROUP}\` `
    + `group as EKS reads it (rule: an update never removes the last \`${NODES_GROUP}\` mapping, or nodes and Fargate `
    + 'pods could no longer join the cluster). Keep the node or pod execution role '
    + 'mapping in the desired mappings; removing the owner (deleting the stack) is always allowed.');
}
