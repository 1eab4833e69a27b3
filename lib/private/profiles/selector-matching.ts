/**
 * EKS Fargate profile selector semantics, as pure functions.
 *
 * A pod runs on Fargate when its namespace and labels match a selector of some profile: the namespace pattern
 * matches the pod's namespace, and every label of the selector (key pattern and value pattern) matches one of the
 * pod's labels. Namespaces, label keys and label values may use the wildcards `*` (zero or more characters) and
 * `?` (exactly one character).
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html
 */

/** The shape of a Fargate profile selector that matching needs (structurally compatible with `FargateSelector`). */
export interface SelectorLike {
  /** Namespace pattern; may contain `*` and `?`. */
  readonly namespace: string;
  /** Label patterns; every entry must match one of the pod's labels. */
  readonly labels?: { [key: string]: string };
}

/**
 * Whether `value` matches the wildcard `pattern`: `*` matches zero or more characters, `?` exactly one, every
 * other character only itself.
 *
 * Implemented as a linear scan with single-star backtracking rather than a regular expression, so that no
 * character needs escaping and a pattern like `a*a*a*a*b` cannot cause catastrophic backtracking.
 */
export function wildcardMatches(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  // Position of the last `*` seen in the pattern, and the value position it was tried against.
  let starAt = -1;
  let starValue = 0;
  while (v < value.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === value[v])) {
      p++;
      v++;
    } else if (p < pattern.length && pattern[p] === '*') {
      starAt = p;
      starValue = v;
      p++;
    } else if (starAt >= 0) {
      // Let the last star swallow one more character and retry from there.
      p = starAt + 1;
      starValue++;
      v = starValue;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') {
    p++;
  }
  return p === pattern.length;
}

/**
 * Whether a pod in `podNamespace` with `podLabels` matches `selector`.
 *
 * @param podLabels the pod's labels; absent means none
 */
export function selectorMatches(selector: SelectorLike, podNamespace: string, podLabels?: { [key: string]: string }): boolean {
  if (!wildcardMatches(selector.namespace, podNamespace)) {
    return false;
  }
  const labels = Object.entries(podLabels ?? {});
  return Object.entries(selector.labels ?? {}).every(([keyPattern, valuePattern]) =>
    labels.some(([key, value]) => wildcardMatches(keyPattern, key) && wildcardMatches(valuePattern, value)));
}

/** Whether a pod in `podNamespace` with `podLabels` matches at least one of `selectors`. */
export function anySelectorMatches(selectors: readonly SelectorLike[], podNamespace: string, podLabels?: { [key: string]: string }): boolean {
  return selectors.some((selector) => selectorMatches(selector, podNamespace, podLabels));
}

/**
 * Whether some string matches both wildcard patterns.
 *
 * Exact for the wildcard language: a breadth-first walk over pairs of pattern positions (the product of the two
 * patterns' automata). A `*` may be skipped (matches nothing) or consume a character and stay; a literal or `?`
 * consumes exactly one character. Two positions can consume the same character unless both are different
 * literals. At most (|a|+1)·(|b|+1) states, so cheap for namespace- and label-sized strings.
 */
export function wildcardPatternsIntersect(a: string, b: string): boolean {
  const width = b.length + 1;
  const seen = new Set<number>();
  const queue: number[] = [0];
  seen.add(0);
  const visit = (i: number, j: number) => {
    const state = i * width + j;
    if (!seen.has(state)) {
      seen.add(state);
      queue.push(state);
    }
  };
  while (queue.length > 0) {
    const state = queue.shift()!;
    const i = Math.floor(state / width);
    const j = state % width;
    if (i === a.length && j === b.length) {
      return true;
    }
    if (i < a.length && a[i] === '*') {
      visit(i + 1, j);
    }
    if (j < b.length && b[j] === '*') {
      visit(i, j + 1);
    }
    if (i < a.length && j < b.length && charactersCompatible(a[i], b[j])) {
      visit(a[i] === '*' ? i : i + 1, b[j] === '*' ? j : j + 1);
    }
  }
  return false;
}

function charactersCompatible(x: string, y: string): boolean {
  return x === '*' || x === '?' || y === '*' || y === '?' || x === y;
}

function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/**
 * A conservative test whether some pod could match both selectors (used to warn about overlapping selectors
 * across profiles, since EKS then picks the first profile by name).
 *
 * The approximation, and why it errs towards "overlap":
 * - Namespaces: the two namespace patterns must have a string in common ({@link wildcardPatternsIntersect}).
 *   This ignores Kubernetes name syntax, so a pair whose only common strings are invalid namespaces still
 *   counts as overlapping.
 * - Labels: a pod may carry any number of labels, so each label requirement of either selector can be met by a
 *   label of its own. Requirements can only contradict each other when both selectors name the same literal key
 *   (no wildcards): a pod has one value per key, so the two value patterns must then have a value in common.
 *   Requirements with wildcard keys are always treated as satisfiable.
 *
 * So a `false` is certain (no pod matches both), a `true` may occasionally be a pod that Kubernetes would reject.
 */
export function selectorsOverlap(a: SelectorLike, b: SelectorLike): boolean {
  if (!wildcardPatternsIntersect(a.namespace, b.namespace)) {
    return false;
  }
  const bLabels = b.labels ?? {};
  for (const [key, aValue] of Object.entries(a.labels ?? {})) {
    if (hasWildcard(key) || !Object.hasOwn(bLabels, key)) {
      continue;
    }
    if (!wildcardPatternsIntersect(aValue, bLabels[key])) {
      return false;
    }
  }
  return true;
}
