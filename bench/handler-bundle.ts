/**
 * Size of the aws-auth handler bundle that ships in the npm package, and whether it still matches its sources.
 * Run: `npx ts-node --transpile-only --project bench/tsconfig.json bench/handler-bundle.ts`
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { build } from 'esbuild';
import { median } from './markdown-table';

const REPOSITORY = path.resolve(__dirname, '..');
const ENTRY_POINT = 'lib/private/handler/kubernetes-handler.lambda.ts';

/** Where `npx projen bundle` writes the handler bundle, relative to the repository. */
export const HANDLER_BUNDLE = 'assets/lib/private/handler/kubernetes-handler.lambda/index.js';

/** The handler bundle on disk. */
export interface HandlerBundleNumbers {
  /** Path of the bundle, relative to the repository. */
  readonly file: string;
  /** False when the bundle has not been built; the other numbers are then absent. */
  readonly built: boolean;
  readonly bytes?: number;
  /** Bytes after gzip -9, close to what the zipped Lambda asset weighs. */
  readonly gzipBytes?: number;
  /** Whether the file is byte-identical to a bundle of the current sources; when not, rebuild before quoting it. */
  readonly matchesSources?: boolean;
  /** Bytes of a bundle of the current sources (equal to `bytes` when `matchesSources`). */
  readonly currentSourcesBytes?: number;
  /** Median milliseconds a new Node.js process takes to `require` the bundle (what a Lambda cold start pays for it). */
  readonly coldRequireMs?: number;
}

/** New processes timed for the cold `require`. */
const COLD_REQUIRE_ROUNDS = 9;

/** Measures the bundle built by `npx projen bundle`; never builds or writes it. */
export async function measureHandlerBundle(): Promise<HandlerBundleNumbers> {
  const file = path.join(REPOSITORY, HANDLER_BUNDLE);
  if (!fs.existsSync(file)) {
    return { file: HANDLER_BUNDLE, built: false };
  }
  const content = fs.readFileSync(file);
  const current = await bundleCurrentSources();
  return {
    file: HANDLER_BUNDLE,
    built: true,
    bytes: content.length,
    gzipBytes: zlib.gzipSync(content, { level: 9 }).length,
    matchesSources: content.equals(current),
    currentSourcesBytes: current.length,
    coldRequireMs: coldRequireMs(file),
  };
}

/** Median time to `require(file)` in a new process, timed inside it so that Node.js start-up does not count. */
function coldRequireMs(file: string): number {
  const script = 'const start = process.hrtime.bigint(); require(process.argv[1]); '
    + 'console.log(Number(process.hrtime.bigint() - start) / 1e6);';
  const times = Array.from({ length: COLD_REQUIRE_ROUNDS }, () => {
    const child = spawnSync(process.execPath, ['-e', script, file], { encoding: 'utf8' });
    if (child.status !== 0) {
      throw new Error(`requiring ${file} failed (exit ${child.status}): ${child.stderr}`);
    }
    return Number(child.stdout.trim());
  });
  return median(times);
}

/**
 * Bundles the handler in memory with the projen bundle task's options (nothing is written). Comparing contents
 * rather than modification times keeps a checkout or a formatter that touches sources from crying wolf.
 */
async function bundleCurrentSources(): Promise<Buffer> {
  const result = await build({
    absWorkingDir: REPOSITORY,
    entryPoints: [ENTRY_POINT],
    bundle: true,
    target: 'node24',
    platform: 'node',
    tsconfig: 'test/tsconfig.json',
    outfile: HANDLER_BUNDLE,
    write: false,
    logLevel: 'silent',
  });
  return Buffer.from(result.outputFiles[0].contents);
}

/** What to tell the reader when the bundle is missing or stale; empty when it is current. */
export function handlerBundleAdvice(numbers: HandlerBundleNumbers): string {
  if (!numbers.built) {
    return `\`${numbers.file}\` is absent: build it with \`npx projen bundle\` (writes only to \`assets/\`).`;
  }
  return numbers.matchesSources ? ''
    : `\`${numbers.file}\` differs from a bundle of the current sources (${numbers.currentSourcesBytes} bytes): `
      + 'rebuild it with `npx projen bundle` before quoting its size.';
}

if (require.main === module) {
  void measureHandlerBundle().then((numbers) => {
    console.log(numbers.built
      ? `${numbers.file}: ${numbers.bytes} bytes, ${numbers.gzipBytes} bytes gzip -9, cold require ${numbers.coldRequireMs} ms`
      : `${numbers.file}: not built`);
    const advice = handlerBundleAdvice(numbers);
    if (advice) {
      console.log(advice);
    }
  });
}
