import * as fc from 'fast-check';
import {
  anySelectorMatches,
  selectorMatches,
  selectorsOverlap,
  wildcardMatches,
  wildcardPatternsIntersect,
} from '../../../lib/private/profiles/selector-matching';

/** Kubernetes-like names: lower-case letters, digits and dashes (no wildcard characters). */
const literalName = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/);

describe('wildcardMatches', () => {
  test('a literal pattern matches only itself', () => {
    // GIVEN / WHEN / THEN
    expect(wildcardMatches('dev', 'dev')).toBe(true);
    expect(wildcardMatches('dev', 'dev2')).toBe(false);
    expect(wildcardMatches('dev', 'de')).toBe(false);
  });

  test('star matches zero or more characters', () => {
    expect(wildcardMatches('prod-*', 'prod-')).toBe(true);
    expect(wildcardMatches('prod-*', 'prod-eu-west-1')).toBe(true);
    expect(wildcardMatches('*-system', 'kube-system')).toBe(true);
    expect(wildcardMatches('a*b*c', 'abc')).toBe(true);
    expect(wildcardMatches('a*b*c', 'axxbyyc')).toBe(true);
    expect(wildcardMatches('a*b*c', 'axxbyy')).toBe(false);
  });

  test('question mark matches exactly one character', () => {
    expect(wildcardMatches('team-?', 'team-a')).toBe(true);
    expect(wildcardMatches('team-?', 'team-')).toBe(false);
    expect(wildcardMatches('team-?', 'team-ab')).toBe(false);
  });

  test('regular expression characters are literal', () => {
    expect(wildcardMatches('a.b', 'a.b')).toBe(true);
    expect(wildcardMatches('a.b', 'axb')).toBe(false);
    expect(wildcardMatches('(x)+', '(x)+')).toBe(true);
    expect(wildcardMatches('(x)+', 'xx')).toBe(false);
  });

  test('a pathological pattern finishes quickly', () => {
    // GIVEN a pattern that makes naive backtracking regular expressions explode
    const pattern = 'a*'.repeat(30) + 'b';
    const value = 'a'.repeat(5000);
    // WHEN
    const started = Date.now();
    const matched = wildcardMatches(pattern, value);
    // THEN
    expect(matched).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('property: a literal name matches itself, star, and a same-length run of question marks', () => {
    fc.assert(fc.property(literalName, (name) => {
      expect(wildcardMatches(name, name)).toBe(true);
      expect(wildcardMatches('*', name)).toBe(true);
      expect(wildcardMatches('?'.repeat(name.length), name)).toBe(true);
      expect(wildcardMatches('?'.repeat(name.length + 1), name)).toBe(false);
    }));
  });
});

describe('selectorMatches', () => {
  test('a selector without labels matches every pod in its namespace', () => {
    // GIVEN
    const selector = { namespace: 'default' };
    // WHEN / THEN
    expect(selectorMatches(selector, 'default')).toBe(true);
    expect(selectorMatches(selector, 'default', { app: 'web' })).toBe(true);
    expect(selectorMatches(selector, 'kube-system')).toBe(false);
  });

  test('every selector label must match some pod label', () => {
    // GIVEN
    const selector = { namespace: 'dev', labels: { env: 'dev', checks: 'passed' } };
    // WHEN / THEN
    expect(selectorMatches(selector, 'dev', { env: 'dev', checks: 'passed', app: 'api' })).toBe(true);
    expect(selectorMatches(selector, 'dev', { env: 'dev' })).toBe(false);
    expect(selectorMatches(selector, 'dev')).toBe(false);
  });

  test('label keys and values may use wildcards', () => {
    // GIVEN
    const selector = { namespace: 'team-*', labels: { 'app.kubernetes.io/*': 'web-?' } };
    // WHEN / THEN
    expect(selectorMatches(selector, 'team-a', { 'app.kubernetes.io/name': 'web-1' })).toBe(true);
    expect(selectorMatches(selector, 'team-a', { 'app.kubernetes.io/name': 'web-12' })).toBe(false);
  });

  test('anySelectorMatches is true when one selector of several matches', () => {
    // GIVEN
    const selectors = [{ namespace: 'default' }, { namespace: 'dev', labels: { env: 'dev' } }];
    // WHEN / THEN
    expect(anySelectorMatches(selectors, 'dev', { env: 'dev' })).toBe(true);
    expect(anySelectorMatches(selectors, 'dev', { env: 'prod' })).toBe(false);
    expect(anySelectorMatches([], 'default')).toBe(false);
  });

  test('property: a literal namespace selector matches its own namespace and so does star', () => {
    fc.assert(fc.property(literalName, fc.dictionary(literalName, literalName), (namespace, labels) => {
      expect(selectorMatches({ namespace }, namespace, labels)).toBe(true);
      expect(selectorMatches({ namespace: '*' }, namespace, labels)).toBe(true);
    }));
  });
});

describe('selectorsOverlap', () => {
  test('equal namespaces without labels overlap', () => {
    expect(selectorsOverlap({ namespace: 'default' }, { namespace: 'default' })).toBe(true);
  });

  test('different literal namespaces do not overlap', () => {
    expect(selectorsOverlap({ namespace: 'default' }, { namespace: 'dev' })).toBe(false);
  });

  test('wildcard namespaces overlap when some namespace matches both', () => {
    expect(selectorsOverlap({ namespace: 'team-*' }, { namespace: '*-a' })).toBe(true);
    expect(selectorsOverlap({ namespace: 'prod-*' }, { namespace: 'prod-eu' })).toBe(true);
    expect(selectorsOverlap({ namespace: 'prod-?' }, { namespace: 'prod-eu' })).toBe(false);
    expect(selectorsOverlap({ namespace: 'a*' }, { namespace: 'b*' })).toBe(false);
  });

  test('the same literal label key with different literal values does not overlap', () => {
    expect(selectorsOverlap(
      { namespace: 'dev', labels: { env: 'dev' } },
      { namespace: 'dev', labels: { env: 'test' } },
    )).toBe(false);
  });

  test('different label keys can be met by one pod, so they overlap', () => {
    expect(selectorsOverlap(
      { namespace: 'dev', labels: { env: 'dev' } },
      { namespace: 'dev', labels: { team: 'a' } },
    )).toBe(true);
  });

  test('a selector without labels overlaps a labelled one in the same namespace', () => {
    expect(selectorsOverlap({ namespace: 'dev' }, { namespace: 'dev', labels: { env: 'dev' } })).toBe(true);
  });

  test('compatible wildcard label values overlap', () => {
    expect(selectorsOverlap(
      { namespace: 'dev', labels: { env: 'de*' } },
      { namespace: 'dev', labels: { env: '*v' } },
    )).toBe(true);
  });

  test('property: the overlap test agrees with a pod that matches both selectors', () => {
    fc.assert(fc.property(literalName, literalName, literalName, (namespace, key, value) => {
      const pod = { [key]: value };
      const a = { namespace: namespace.slice(0, 2) + '*', labels: { [key]: '*' } };
      const b = { namespace, labels: { [key]: value } };
      expect(selectorMatches(a, namespace, pod) && selectorMatches(b, namespace, pod)).toBe(true);
      expect(selectorsOverlap(a, b)).toBe(true);
    }));
  });

  test('property: wildcard patterns intersect exactly when a generated witness matches both', () => {
    const patternCharacter = fc.constantFrom('a', 'b', '*', '?');
    const pattern = fc.array(patternCharacter, { maxLength: 6 }).map((chars) => chars.join(''));
    fc.assert(fc.property(pattern, pattern, (a, b) => {
      // Brute force: any common string is at most |a| + |b| long over the alphabet {a, b, c}.
      let witness = false;
      const search = (prefix: string): void => {
        if (witness) return;
        if (wildcardMatches(a, prefix) && wildcardMatches(b, prefix)) {
          witness = true;
          return;
        }
        if (prefix.length >= a.length + b.length) return;
        for (const c of ['a', 'b', 'c']) search(prefix + c);
      };
      search('');
      expect(wildcardPatternsIntersect(a, b)).toBe(witness);
    }), { numRuns: 200 });
  });
});
