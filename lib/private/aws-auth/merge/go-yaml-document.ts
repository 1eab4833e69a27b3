import { GoYamlError } from './go-yaml-errors';
import { previousNonSpace, YAML11_ONLY_BREAKS, yaml11BreaksAsYaml12 } from './go-yaml-line-breaks';

const MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/;
const DIRECTIVE = /^%YAML[ \t]+([0-9]+)\.([0-9]+)/;

/** The document go-yaml reads, written for js-yaml; `separatorBreaks` as in `Yaml12Text`. */
export interface GoYamlDocument {
  readonly document: string;
  readonly separatorBreaks: readonly number[];
}

/**
 * The part of a YAML stream that go-yaml v2 reads when it decodes one value: the first document, ending at the
 * next `---` or `...`, or right after a complete flow collection at the top. NEL, U+2028 and U+2029 are line
 * breaks as in YAML 1.1 (see `yaml11BreaksAsYaml12`); a directive other than `%YAML 1.1` and a tab where go-yaml
 * refuses one fail as they do there.
 *
 * @throws GoYamlError; BeyondLimitsError from `yaml11BreaksAsYaml12`
 */
export function firstDocument(text: string): GoYamlDocument {
  const rewritten = YAML11_ONLY_BREAKS.test(text) ? yaml11BreaksAsYaml12(text) : { text, separatorBreaks: [], breaksLines: false };
  const source = rewritten.text;
  const { separatorBreaks } = rewritten;
  const document = (end: string) => ({ document: end, separatorBreaks: separatorBreaks.filter((offset) => offset < end.length) });
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
            return document(flowEnd);
          }
        }
        continue;
      }
      return document(lines.slice(0, index).join('\n'));
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
        return document(flowEnd);
      }
    }
  }
  return document(source);
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
