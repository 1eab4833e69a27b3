/**
 * The subset of CloudWatch Logs JSON filter-pattern syntax the outside-write pattern uses, evaluated as CloudWatch
 * documents it: `{ <expression> }` with `&&`, `||`, parentheses, selectors such as `$.a.b` and `$.a[0]`, `=` and `!=`
 * on quoted strings (where `*` matches any run of characters), and `<`, `<=`, `>`, `>=` on numbers. A selector that
 * names no value matches no comparison.
 */
export function matchesFilterPattern(pattern: string, event: unknown): boolean {
  const text = pattern.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) {
    throw new Error(`not a JSON filter pattern: ${pattern}`);
  }
  const parser = new Parser(tokenize(text.slice(1, -1)));
  const expression = parser.expression();
  parser.end();
  return expression(event);
}

type Predicate = (event: unknown) => boolean;
type Token = { kind: 'op' | 'paren' | 'selector' | 'string' | 'number' | 'logic'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const rules: Array<[RegExp, Token['kind']]> = [
    [/^\s+/, 'op'], [/^(&&|\|\|)/, 'logic'], [/^[()]/, 'paren'], [/^(!=|>=|<=|=|>|<)/, 'op'],
    [/^\$(?:\.[A-Za-z_][\w-]*|\[\d+\])+/, 'selector'], [/^"(?:[^"\\]|\\.)*"/, 'string'], [/^-?\d+(?:\.\d+)?/, 'number'],
  ];
  let rest = source;
  while (rest.length > 0) {
    const rule = rules.find(([regex]) => regex.test(rest));
    if (!rule) {
      throw new Error(`unexpected text in filter pattern: ${rest.slice(0, 20)}`);
    }
    const text = rule[0].exec(rest)![0];
    rest = rest.slice(text.length);
    if (!/^\s+$/.test(text)) {
      tokens.push({ kind: rule[1], text });
    }
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  public expression(): Predicate {
    let left = this.conjunction();
    while (this.peek()?.text === '||') {
      this.position++;
      const [a, b] = [left, this.conjunction()];
      left = (event) => a(event) || b(event);
    }
    return left;
  }

  public end(): void {
    if (this.position !== this.tokens.length) {
      throw new Error(`unexpected ${this.tokens[this.position].text} in filter pattern`);
    }
  }

  private conjunction(): Predicate {
    let left = this.factor();
    while (this.peek()?.text === '&&') {
      this.position++;
      const [a, b] = [left, this.factor()];
      left = (event) => a(event) && b(event);
    }
    return left;
  }

  private factor(): Predicate {
    if (this.peek()?.text === '(') {
      this.position++;
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    const selector = this.take('selector').text;
    const op = this.take('op').text;
    const value = this.tokens[this.position++];
    if (value?.kind === 'string') {
      const wanted = JSON.parse(value.text) as string;
      const glob = new RegExp(`^${wanted.split('*').map(escapeRegExp).join('.*')}$`);
      if (op !== '=' && op !== '!=') {
        throw new Error(`${op} does not compare strings`);
      }
      return (event) => {
        const found = select(event, selector);
        return typeof found === 'string' && (op === '=' ? glob.test(found) : !glob.test(found));
      };
    }
    if (value?.kind === 'number') {
      const wanted = Number(value.text);
      return (event) => {
        const found = select(event, selector);
        return typeof found === 'number' && compare(found, op, wanted);
      };
    }
    throw new Error(`expected a value after ${selector} ${op}`);
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private take(kind: Token['kind']): Token {
    const token = this.tokens[this.position++];
    if (token?.kind !== kind) {
      throw new Error(`expected a ${kind} in filter pattern, found ${token?.text}`);
    }
    return token;
  }

  private expect(text: string): void {
    if (this.tokens[this.position++]?.text !== text) {
      throw new Error(`expected ${text} in filter pattern`);
    }
  }
}

function select(event: unknown, selector: string): unknown {
  let value: unknown = event;
  for (const [, name, index] of selector.slice(1).matchAll(/\.([\w-]+)|\[(\d+)\]/g)) {
    if (value === null || typeof value !== 'object') {
      return undefined;
    }
    value = name !== undefined ? (value as { [key: string]: unknown })[name] : (value as unknown[])[Number(index)];
  }
  return value;
}

function compare(found: number, op: string, wanted: number): boolean {
  switch (op) {
    case '=': return found === wanted;
    case '!=': return found !== wanted;
    case '>': return found > wanted;
    case '>=': return found >= wanted;
    case '<': return found < wanted;
    default: return found <= wanted;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
