import type * as yaml from 'js-yaml';
import { GoYamlDocument } from './go-yaml-document';
import { BeyondLimitsError, GoYamlError } from './go-yaml-errors';
import { GoScalar } from './go-yaml-scalars';

type Listener = NonNullable<yaml.LoadOptions['listener']>;

// Where a mapping key can be a list or a mapping: an explicit `?` key, a flow collection before `:`, or an alias.
const MAY_HAVE_COLLECTION_KEY = /[?*]|[\]}][ \t]*:/;
// A `\u`/`\U` escape, which go-yaml refuses for a surrogate or past U+10FFFF (js-yaml takes both).
const MAY_HAVE_BAD_ESCAPE = /\\[uU]/;
const BAD_ESCAPE = /(?<!\\)(?:\\\\)*\\(?:u[dD][89a-fA-F][0-9a-fA-F]{2}|U(?:0000[dD][89a-fA-F][0-9a-fA-F]{2}|00(?:1[1-9a-fA-F]|[2-9a-fA-F][0-9a-fA-F])[0-9a-fA-F]{4}|0[1-9a-fA-F][0-9a-fA-F]{6}|[1-9a-fA-F][0-9a-fA-F]{7}))/;

/**
 * Checks js-yaml runs on every node it composes, for what go-yaml v2 reads differently from js-yaml's result:
 *
 * - A list or mapping used as a mapping key: go-yaml's decoder refuses it (`invalid map key`), so the whole data
 *   key serves nothing; js-yaml would turn it into a string key (`[rolearn]` into `rolearn`).
 * - A scalar that spans a U+2028/U+2029 line break written as `\n` (see `separatorBreaks`): go-yaml keeps the
 *   separator in the text where js-yaml folds the `\n`, so the scalar is not read (refused, not guessed).
 * - A double-quoted scalar with a `\u`/`\U` escape of a surrogate (U+D800-U+DFFF) or past U+10FFFF: go-yaml
 *   refuses it (`found invalid Unicode character escape code`), so the whole data key serves nothing.
 *
 * @returns the listener, or `undefined` when the text can hold none of them
 */
export function nodeChecks(document: GoYamlDocument): Listener | undefined {
  const { separatorBreaks } = document;
  const keys = MAY_HAVE_COLLECTION_KEY.test(document.document);
  const escapes = MAY_HAVE_BAD_ESCAPE.test(document.document);
  if (!keys && !escapes && separatorBreaks.length === 0) {
    return undefined;
  }
  // js-yaml drops a byte order mark before reading: positions in its input are one less.
  const shift = document.document.startsWith('\ufeff') ? 1 : 0;
  const opened: number[] = [];
  return (event, state) => {
    if (event === 'open') {
      opened.push(state.position);
      return;
    }
    const start = opened.pop() ?? 0;
    const result: unknown = state.result;
    const collection = typeof result === 'object' && result !== null && !(result instanceof GoScalar);
    if (keys && collection && followedByValueIndicator(state.input, state.position)) {
      const keyStart = skipProperties(state.input, start);
      const written = state.input.slice(keyStart, state.position).trim().replace(/\s+/g, ' ');
      const line = state.input.slice(0, keyStart).split('\n').length;
      throw new GoYamlError(`the mapping key \`${written.length > 60 ? `${written.slice(0, 57)}...` : written}\` (line `
        + `${line}) is a ${Array.isArray(result) ? 'list' : 'mapping'}, which go-yaml v2 refuses as an invalid map key`);
    }
    if (!collection && escapes) {
      const contentStart = skipProperties(state.input, start);
      const raw = state.input.slice(contentStart, state.position);
      if (raw.startsWith('"') && BAD_ESCAPE.test(raw)) {
        throw new GoYamlError(`a double-quoted scalar (line ${state.input.slice(0, contentStart).split('\n').length}) escapes a `
          + `surrogate or a code point past U+10FFFF (\`${BAD_ESCAPE.exec(raw)![0]}\`): go-yaml finds an invalid Unicode character escape code`);
      }
    }
    if (!collection && separatorBreaks.length > 0) {
      const contentStart = skipProperties(state.input, start);
      if (separatorBreaks.some((offset) => offset - shift > contentStart && offset - shift < state.position)) {
        throw new BeyondLimitsError(`a scalar (line ${state.input.slice(0, contentStart).split('\n').length}) continues over a line or paragraph separator `
          + '(U+2028/U+2029), which go-yaml keeps in the text; this library does not read such a scalar');
      }
    }
  };
}

/**
 * Whether a node ending at `position` is a mapping key: the next significant character is a `:` followed by a
 * blank, a line break or a flow indicator, or a `:` right after a flow collection's bracket (a flow key).
 */
function followedByValueIndicator(input: string, position: number): boolean {
  const at = nextSignificant(input, position);
  if (input[at] !== ':') {
    return false;
  }
  return (at === position && /[\]}]/.test(input[at - 1] ?? '')) || /[ \t\r\n,\]}]/.test(input[at + 1] ?? ' ');
}

/** The position of the next character that is not a blank, a line break or part of a comment. */
function nextSignificant(input: string, position: number): number {
  let at = position;
  while (at < input.length) {
    const character = input[at];
    if (character === '#' && (at === 0 || /[ \t\r\n]/.test(input[at - 1]))) {
      while (at < input.length && input[at] !== '\n') {
        at++;
      }
    } else if (/[ \t\r\n]/.test(character)) {
      at++;
    } else {
      break;
    }
  }
  return at;
}

/** Where a node's content starts: after blanks, line breaks, comments, a tag and an anchor. */
function skipProperties(input: string, position: number): number {
  let at = nextSignificant(input, position);
  while (input[at] === '!' || input[at] === '&') {
    while (at < input.length && !/[ \t\r\n]/.test(input[at])) {
      at++;
    }
    at = nextSignificant(input, at);
  }
  return at;
}
