import { BeyondLimitsError } from './go-yaml-errors';

/** YAML 1.1's line breaks beyond CR and LF: NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR. */
export const YAML11_ONLY_BREAKS = /[\u0085\u2028\u2029]/;

/** A text rewritten so that js-yaml (YAML 1.2) reads it as go-yaml v2 reads the original. */
export interface Yaml12Text {
  readonly text: string;
  /**
   * Offsets of the `\n` that stand for a U+2028/U+2029 line break in block context. go-yaml keeps such a break as
   * the character itself inside a multi-line scalar, where js-yaml would fold a `\n`; the loader refuses a scalar
   * that spans one of them.
   */
  readonly separatorBreaks: readonly number[];
  /** Whether any of them breaks a line (in a comment or block context), rather than sitting inside a scalar. */
  readonly breaksLines: boolean;
}

const BLANK = /[ \t]/;
const ANY_BREAK = /[\r\n\u0085\u2028\u2029]/;
const FLOW_INDICATOR = /[,[\]{}#]/;

/**
 * go-yaml v2 (`is_break`, `read_line`) treats NEL, U+2028 and U+2029 as line breaks everywhere: they end a comment,
 * a plain scalar's line and the indentation count. Folding then differs: NEL becomes `\n` (folded like any line
 * break), while U+2028/U+2029 are kept as themselves and the blanks around them dropped. js-yaml reads all three
 * as ordinary characters. This rewrites each so that js-yaml reads the same:
 *
 * - in a comment, or between tokens in block context: `\n`;
 * - NEL inside a quoted scalar or a flow collection: a space with the blanks around it dropped (go-yaml folds it);
 * - U+2028/U+2029 inside a quoted scalar or a flow collection, between two characters of a scalar: kept, with the
 *   blanks around it dropped (go-yaml keeps it there); between flow tokens: a space;
 * - in block context they become `\n`, listed in `separatorBreaks` for the loader's check.
 *
 * @throws BeyondLimitsError where go-yaml's reading cannot be written for js-yaml (a break followed by more line
 * breaks inside a quoted or flow scalar, or escaped by a backslash)
 */
export function yaml11BreaksAsYaml12(text: string): Yaml12Text {
  let result = '';
  const separatorBreaks: number[] = [];
  let depth = 0;
  let quote: string | undefined;
  let comment = false;
  let breaksLines = false;
  for (let position = 0; position < text.length; position++) {
    const character = text[position];
    if (YAML11_ONLY_BREAKS.test(character)) {
      const separator = character !== '\u0085';
      if (comment || (quote === undefined && depth === 0)) {
        comment = false;
        breaksLines = true;
        if (separator && quote === undefined && depth === 0) {
          separatorBreaks.push(result.length);
        }
        result += '\n';
        continue;
      }
      const trimmed = result.replace(/[ \t]+$/, '');
      if (quote === '"' && trimmed !== result && trimmed.endsWith('\\')) {
        throw beyondLimits();
      }
      result = trimmed;
      let next = position + 1;
      while (next < text.length && BLANK.test(text[next])) {
        next++;
      }
      const following = text[next] ?? '';
      const inScalar = quote !== undefined || (/[^\s,[{:]/.test(result[result.length - 1] ?? ' ')
        && following !== '' && !FLOW_INDICATOR.test(following) && !ANY_BREAK.test(following));
      if (inScalar && ANY_BREAK.test(following)) {
        throw beyondLimits();
      }
      result += separator && inScalar ? character : ' ';
      position = next - 1;
      continue;
    }
    result += character;
    if (character === '\n') {
      comment = false;
    } else if (comment) {
      continue;
    } else if (quote !== undefined) {
      if (quote === '"' && character === '\\') {
        if (YAML11_ONLY_BREAKS.test(text[position + 1] ?? '')) {
          throw beyondLimits();
        }
        result += text[++position] ?? '';
      } else if (character === quote) {
        if (quote === '\'' && text[position + 1] === '\'') {
          result += text[++position];
        } else {
          quote = undefined;
        }
      }
    } else if (character === '#' && /[ \t\n]/.test(text[position - 1] ?? '\n')) {
      comment = true;
    } else if ((character === '[' || character === '{') && opensFlow(text[position - 1] ?? '\n', depth)) {
      depth++;
    } else if ((character === ']' || character === '}') && depth > 0) {
      depth--;
    } else if ((character === '"' || character === '\'') && /[[{,:\s-]/.test(previousNonSpace(text, position))) {
      quote = character;
    }
  }
  return { text: result, separatorBreaks, breaksLines };
}

function beyondLimits(): BeyondLimitsError {
  return new BeyondLimitsError('a NEL, line or paragraph separator (U+0085, U+2028, U+2029) that go-yaml folds with '
    + 'another line break, a backslash or an escaped space inside a quoted or flow scalar, which this library does not read');
}

/** Whether a bracket after this character starts a flow collection rather than sitting inside a plain scalar. */
function opensFlow(previous: string, depth: number): boolean {
  return /\s/.test(previous) || (depth > 0 && /[[{,]/.test(previous));
}

/** The nearest character before `position` that is not a space or tab (a space at the start). */
export function previousNonSpace(text: string, position: number): string {
  let before = position - 1;
  while (before >= 0 && (text[before] === ' ' || text[before] === '\t')) {
    before--;
  }
  return before < 0 ? ' ' : text[before];
}
