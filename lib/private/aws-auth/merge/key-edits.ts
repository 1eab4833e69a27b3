import { blockSequenceLayout, BlockSequenceLayout } from './block-sequence-items';
import { KeyContent, readKeyContent } from './data-keys';
import { DecodedRole, DecodedUser } from './eks-decode';
import { KeyReading } from './eks-reader';
import { GoValue } from './go-yaml-load';
import { MappingEntry, MappingKind } from './mapping-entries';
import { EntryEdits } from './merge-entries';
import { renderNewEntries, renderReadEntry } from './render-yaml';
import { ReadItem, sameReading } from './same-reading';

/** An edited data key: its new text (`undefined`: the key goes) and the model's reading of that text. */
export interface EditedKey {
  readonly text: string | undefined;
  /** The read-back made to check the edit, carried on so the text is not read again. */
  readonly content: KeyContent;
}

/**
 * Applies an owner's edits to a data key. In a YAML block sequence only the owner's items change: every other
 * byte (foreign entries, comments, indentation, line endings) stays. Other forms (a flow sequence, a JSON list, a
 * block sequence in which a NEL, U+2028 or U+2029 breaks a line) are rewritten as a block sequence in which every
 * foreign entry reads the same. Either way the result is read back with the model, and written only when EKS would
 * read every entry not edited exactly as before and the owner's entries exactly as wanted.
 *
 * @returns the new text, or `undefined` when nothing is left in it (the key goes), with its reading
 * @throws Error naming the key and the reason, when the key cannot be changed that way
 */
export function editKey(content: KeyContent, edits: EntryEdits): EditedKey {
  const { kind, text, reading } = content;
  if (reading.problem?.fatal === true) {
    const reason = reading.problem.kind === 'beyond-limits'
      ? `it goes past what this library reads: ${reading.problem.message}`
      : `EKS already serves nothing from it (${reading.problem.message})`;
    throw refusal(kind, reason, 'Fix the key by hand first.');
  }
  const layout = text === undefined || reading.skipped ? undefined : blockSequenceLayout(text);
  if (text === undefined || reading.skipped) {
    return checked(content, edits, renderNewEntries(kind, edits.appended));
  }
  if (layout !== undefined && layout.items.length === content.current.length
    && (reading.value === null || Array.isArray(reading.value))) {
    return checked(content, edits, editInPlace(kind, text, layout, edits));
  }
  return checked(content, edits, rewrite(kind, reading.value, content.current.length, edits));
}

function checked(content: KeyContent, edits: EntryEdits, next: string): EditedKey {
  const after = verify(content, edits, next);
  return next.trim() === '' ? { text: undefined, content: readKeyContent(content.kind, undefined) } : { text: next, content: after };
}

function editInPlace(kind: MappingKind, text: string, layout: BlockSequenceLayout, edits: EntryEdits): string {
  const indented = (yaml: string) => yaml.split('\n').map((line) => (line === '' ? line : ' '.repeat(layout.indent) + line))
    .join(layout.lineEnding);
  let result = '';
  let copiedTo = 0;
  layout.items.forEach((item, position) => {
    const replacement = edits.replaced.get(position);
    if (edits.dropped.has(position) || replacement !== undefined) {
      result += text.slice(copiedTo, item.start) + (replacement === undefined ? '' : indented(renderNewEntries(kind, [replacement])));
      copiedTo = item.end;
    }
  });
  result += text.slice(copiedTo, layout.insertAt);
  if (edits.appended.length > 0) {
    if (result !== '' && !result.endsWith('\n')) {
      result += layout.lineEnding;
    }
    result += indented(renderNewEntries(kind, edits.appended));
  }
  return result + text.slice(Math.max(layout.insertAt, copiedTo));
}

function rewrite(kind: MappingKind, value: GoValue | undefined, count: number, edits: EntryEdits): string {
  const items = Array.isArray(value) ? value : [];
  let result = '';
  for (let position = 0; position < count; position++) {
    const replacement = edits.replaced.get(position);
    if (replacement !== undefined) {
      result += renderNewEntries(kind, [replacement]);
    } else if (!edits.dropped.has(position)) {
      result += renderReadEntry(items[position]);
    }
  }
  return result + renderNewEntries(kind, edits.appended);
}

/** Reads the edited text back and compares every entry with what it must be; returns the reading. */
function verify(content: KeyContent, edits: EntryEdits, next: string): KeyContent {
  const { kind } = content;
  const expected: ReadItem[] = [];
  const before = readingEntries(kind, content.reading);
  content.current.forEach((_entry, position) => {
    const replacement = edits.replaced.get(position);
    if (replacement !== undefined) {
      expected.push(asRead(kind, replacement));
    } else if (!edits.dropped.has(position)) {
      expected.push(before[position]);
    }
  });
  edits.appended.forEach((entry) => expected.push(asRead(kind, entry)));
  const after = readKeyContent(kind, next);
  if (after.reading.problem?.fatal === true) {
    throw refusal(kind, `the edited text would not read back (${after.reading.problem.message})`, '');
  }
  const actual = readingEntries(kind, after.reading);
  const mismatch = expected.findIndex((entry, position) => position >= actual.length || !sameReading(entry, actual[position]));
  if (mismatch >= 0 || actual.length !== expected.length) {
    throw refusal(kind, 'an edit in place would change how EKS reads '
      + `entry ${(mismatch >= 0 ? mismatch : expected.length) + 1} (an anchor, merge key or layout this library cannot keep)`,
    'Edit the key by hand, or move the owner\'s principals out of it.');
  }
  return after;
}

/** Entries as the model read them, one per YAML list item (mapAccounts: an item EKS skips is `null`). */
function readingEntries(kind: MappingKind, reading: KeyReading<unknown>): ReadItem[] {
  if (kind !== 'mapAccounts') {
    return [...reading.entries as readonly ReadItem[]];
  }
  const items = Array.isArray(reading.value) ? reading.value : [];
  let next = 0;
  return items.map((item) => (item instanceof Map || Array.isArray(item) ? null : reading.entries[next++] as string));
}

function asRead(kind: MappingKind, entry: MappingEntry): ReadItem {
  if (kind === 'mapAccounts') {
    return entry.arn;
  }
  const common = { username: entry.username ?? '', groups: entry.groups === undefined ? null : [...entry.groups], userid: '' };
  const mapping: DecodedRole | DecodedUser = kind === 'mapRoles'
    ? { rolearn: entry.arn, username: common.username, groups: common.groups, userid: '' }
    : { userarn: entry.arn, ...common };
  return { mapping, valid: true, identity: entry.identity };
}

function refusal(kind: MappingKind, reason: string, fix: string): Error {
  return new Error(`aws-auth data key \`${kind}\` cannot be changed: ${reason}. Nothing was written.${fix === '' ? '' : ` ${fix}`}`);
}
