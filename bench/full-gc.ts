/**
 * A full garbage collection before each timed sample, so that one sample does not pay for the garbage the one before
 * it left (rounds alternate between the libraries, so without it each pays for the other). Node.js exposes `gc` only
 * with `--expose-gc`; the flag is set at run time, as the benchmark runs under ts-node without extra Node.js flags.
 */
import * as v8 from 'v8';
import * as vm from 'vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Runs a full garbage collection now. */
export function collectGarbage(): void {
  gc();
}
