/**
 * Kubernetes resource quantities (`500m`, `2`, `512Mi`, `1Gi`, `1G`, `1e3`, `0.5`), as plain numbers.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */

const BINARY_SUFFIXES: { [suffix: string]: number } = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

const DECIMAL_SUFFIXES: { [suffix: string]: number } = {
  'n': 1e-9, 'u': 1e-6, 'm': 1e-3, '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
};

// The exponent alternative comes first so that `1E3` is 1000, while a bare `1E` is one exa.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/**
 * The value of a Kubernetes quantity: CPU in cores (`500m` → 0.5), memory and storage in bytes (`1Gi` →
 * 1073741824). YAML may hand over a number (`cpu: 2`), which is taken as is.
 *
 * @returns undefined for anything that is not a valid quantity, so callers can skip it
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = QUANTITY.exec(value.trim());
  if (!match) {
    return undefined;
  }
  const [, digits, exponent, suffix] = match;
  const number = Number(digits);
  if (exponent !== undefined) {
    return number * 10 ** Number(exponent);
  }
  const unit = suffix === undefined ? 1 : BINARY_SUFFIXES[suffix] ?? DECIMAL_SUFFIXES[suffix];
  return number * unit;
}

/** `bytes` in GiB, rounded to two decimals, for messages. */
export function formatGiB(bytes: number): string {
  return `${Math.round((bytes / 2 ** 30) * 100) / 100} GiB`;
}

/** CPU cores rounded to three decimals, for messages. */
export function formatVcpu(cores: number): string {
  return `${Math.round(cores * 1000) / 1000} vCPU`;
}
