import { BeyondLimitsError } from './go-yaml-errors';
import { YAML11_ONLY_BREAKS, yaml11BreaksAsYaml12 } from './go-yaml-line-breaks';

/**
 * Where each item of a top-level YAML block sequence sits in a data value, so an owner's items can be added,
 * replaced or removed without touching a byte of the others.
 */
export interface BlockSequenceLayout {
  /** Column of the items' `-`. */
  readonly indent: number;
  /** `\r\n` when the text uses it, else `\n`. */
  readonly lineEnding: string;
  /** Each item's text span: from its `-` line to its last content line, line ending included. */
  readonly items: readonly { readonly start: number; readonly end: number }[];
  /** Where new items go: after the last item and any comments that follow it, before a document marker. */
  readonly insertAt: number;
}

const MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/;

/**
 * The layout of a value written as one top-level block sequence (or only comments), or `undefined` when the text
 * is in another form (flow sequence, JSON, a document with something else before or after the sequence) or holds
 * a lone `\r` or a NEL, U+2028 or U+2029 that breaks a line for EKS (one inside a quoted or flow scalar does not).
 * A layout is only a proposal: the caller checks the edited text by reading it back.
 */
export function blockSequenceLayout(text: string): BlockSequenceLayout | undefined {
  if (/\r(?!\n)/.test(text) || breaksLinesForYaml11(text)) {
    return undefined;
  }
  const lines = splitLines(text);
  const items: { start: number; end: number }[] = [];
  let indent: number | undefined;
  let started = false;
  let insertAt = text.length;
  let offset = 0;
  for (const line of lines) {
    const start = offset;
    offset += line.length;
    const ended = line.replace(/\r?\n$/, '');
    // A byte order mark opens the stream; it is not indentation.
    const content = start === 0 && ended.startsWith('\ufeff') ? ended.slice(1) : ended;
    const column = /^[ \t]*/.exec(content)![0].length;
    const trimmed = content.slice(column);
    if (trimmed === '' || trimmed.startsWith('#')) {
      continue;
    }
    if (MARKER.test(content)) {
      if (!started && content.trim() === '---') {
        started = true;
        continue;
      }
      insertAt = start;
      break;
    }
    if (!started && content.startsWith('%')) {
      continue;
    }
    started = true;
    if (content.slice(0, column).includes('\t')) {
      return undefined;
    }
    const dashed = /^-( |$)/.test(trimmed);
    if (indent === undefined) {
      if (!dashed) {
        return undefined;
      }
      indent = column;
    }
    if (column < indent || (column === indent && !dashed)) {
      return undefined;
    }
    if (column === indent) {
      items.push({ start, end: offset });
    } else {
      items[items.length - 1].end = offset;
    }
  }
  return { indent: indent ?? 0, lineEnding: text.includes('\r\n') ? '\r\n' : '\n', items, insertAt };
}

function breaksLinesForYaml11(text: string): boolean {
  if (!YAML11_ONLY_BREAKS.test(text)) {
    return false;
  }
  try {
    return yaml11BreaksAsYaml12(text).breaksLines;
  } catch (error) {
    // A text the model does not read is refused before any layout is used; no layout either way.
    if (error instanceof BeyondLimitsError) {
      return true;
    }
    throw error;
  }
}

/** Lines with their line endings; a last line without one is kept as is. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
