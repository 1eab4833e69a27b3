import { GoYamlError } from './go-yaml-errors';

const MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/;
const DIRECTIVE = /^%YAML[ \t]+([0-9]+)\.([0-9]+)/;

/**
 * The part of a YAML stream that go-yaml v2 reads when it decodes one value: the first document, ending at the
 * next `---` or `...`, or right after a complete flow collection at the top. U+0085 is a line break as in
 * YAML 1.1; a directive other than `%YAML 1.1` and a tab where go-yaml refuses one fail as they do there.
 *
 * @throws GoYamlError
 */
export function firstDocument(text: string): string {
  const source = text.includes('\u0085') ? nextLinesAsBreaks(text) : text;
  const lines = source.split('\n');
  let started = false;
  let sawStartMarker = false;
  const hasTabs = text.includes('\t');
  let lineStart = 0;
  for (let index = 0; index < lines.length; lineStart += lines[index].length + 1, index++) {
    const line = lines[index];
    const first = line.charCodeAt(0);
    const marker = first === 45 /* - */ || first === 46 /* . */ ? MARKER.exec(line) : null;
    if (marker !== null) {
      if (marker[1] === '---' && !started && !sawStartMarker) {
        sawStartMarker = true;
        const rest = line.slice(3).trim();
        if (rest !== '' && !rest.startsWith('#')) {
          started = true;
          const flowEnd = endOfTopFlowNode(source, lineStart + 3);
          if (flowEnd !== undefined) {
            return flowEnd;
          }
        }
        continue;
      }
      return lines.slice(0, index).join('\n');
    }
    if (!started && !sawStartMarker) {
      const directive = DIRECTIVE.exec(line);
      if (directive !== null && (directive[1] !== '1' || directive[2] !== '1')) {
        throw new GoYamlError('found incompatible YAML document');
      }
      if (line.startsWith('%')) {
        continue;
      }
    }
    if (hasTabs) {
      refuseTabs(line, index);
    }
    if (started) {
      continue;
    }
    const content = line.trim();
    if (content !== '' && !content.startsWith('#')) {
      started = true;
      const flowEnd = endOfTopFlowNode(source, lineStart);
      if (flowEnd !== undefined) {
        return flowEnd;
      }
    }
  }
  return source;
}

function refuseTabs(line: string, index: number): void {
  const indent = /^[ \t]*/.exec(line)![0];
  const rest = line.slice(indent.length);
  if (/^-\t/.test(rest)) {
    throw new GoYamlError(`found character that cannot start any token (line ${index + 1})`);
  }
  if (indent.includes('\t') && rest !== '' && !rest.startsWith('#')) {
    throw new GoYamlError(`found a tab character that violates indentation (line ${index + 1})`);
  }
}

/**
 * When the top node starts with `[` or `{` (after any tag or anchor), the text up to its closing bracket: go-yaml
 * stops reading there. `undefined` when the top node is not a flow collection or does not close.
 */
function endOfTopFlowNode(text: string, start: number): string | undefined {
  let position = start;
  const skipSpaces = () => {
    while (position < text.length && (text[position] === ' ' || text[position] === '\t')) {
      position++;
    }
  };
  skipSpaces();
  while (text[position] === '!' || text[position] === '&') {
    while (position < text.length && !/[ \t\n]/.test(text[position])) {
      position++;
    }
    skipSpaces();
  }
  if (text[position] !== '[' && text[position] !== '{') {
    return undefined;
  }
  let depth = 0;
  for (; position < text.length; position++) {
    const character = text[position];
    if ((character === '"' || character === '\'') && /[[{,:\s]/.test(previousNonSpace(text, position))) {
      position = endOfQuoted(text, position);
      if (position < 0) {
        return undefined;
      }
    } else if (character === '#' && /[ \t\n]/.test(text[position - 1] ?? ' ')) {
      const newline = text.indexOf('\n', position);
      position = newline < 0 ? text.length : newline;
    } else if (character === '[' || character === '{') {
      depth++;
    } else if (character === ']' || character === '}') {
      depth--;
      if (depth === 0) {
        return text.slice(0, position + 1);
      }
    }
  }
  return undefined;
}

function endOfQuoted(text: string, start: number): number {
  const quote = text[start];
  for (let position = start + 1; position < text.length; position++) {
    if (quote === '"' && text[position] === '\\') {
      position++;
    } else if (text[position] === quote) {
      if (quote === '\'' && text[position + 1] === '\'') {
        position++;
      } else {
        return position;
      }
    }
  }
  return -1;
}

function previousNonSpace(text: string, position: number): string {
  let before = position - 1;
  while (before >= 0 && (text[before] === ' ' || text[before] === '\t')) {
    before--;
  }
  return before < 0 ? ' ' : text[before];
}

/**
 * U+0085 (NEL) as go-yaml reads it: a line break in block context, folded into a space inside a flow collection or
 * a quoted scalar (where js-yaml would also demand indentation go-yaml does not).
 */
function nextLinesAsBreaks(text: string): string {
  let result = '';
  let depth = 0;
  let quote: string | undefined;
  let comment = false;
  for (let position = 0; position < text.length; position++) {
    const character = text[position];
    if (character === '\u0085') {
      comment = false;
      result = quote !== undefined || depth > 0 ? `${result.replace(/[ \t]+$/, '')} ` : `${result}\n`;
      while (quote !== undefined && (text[position + 1] === ' ' || text[position + 1] === '\t')) {
        position++;
      }
      continue;
    }
    result += character;
    if (character === '\n') {
      comment = false;
    } else if (comment) {
      continue;
    } else if (quote !== undefined) {
      if (quote === '"' && character === '\\') {
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
  return result;
}

/** Whether a bracket after this character starts a flow collection rather than sitting inside a plain scalar. */
function opensFlow(previous: string, depth: number): boolean {
  return /\s/.test(previous) || (depth > 0 && /[[{,]/.test(previous));
}
