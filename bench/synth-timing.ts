/**
 * Times one `app.synth()` of a comparison app, in this process or in a fresh one. A fresh process is what a user's
 * `cdk synth` is: its first synth also starts the built-in CloudFormation validation engine, which later synths in
 * the same process reuse.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AssemblyMetrics, measureAssembly } from './assembly-metrics';
import { COMPARISON_VARIANTS, ComparisonVariant, newComparisonApp } from './comparison-apps';
import { collectGarbage } from './full-gc';

/** Wall times of building and synthesizing one app. */
export interface SynthTiming {
  /** Constructing the app, its stack and constructs, in milliseconds. */
  readonly constructMs: number;
  /** `app.synth()`, in milliseconds. */
  readonly synthMs: number;
}

/** Builds and synthesizes one app into a temporary folder that is deleted afterwards. */
export function timeSynth(variant: ComparisonVariant, validation: boolean): SynthTiming {
  return withOutdir((outdir) => timeSynthInto(variant, validation, outdir));
}

/** Like `timeSynth`, and also reads what the assembly deploys before the folder goes. */
export function timeAndMeasureSynth(variant: ComparisonVariant, validation: boolean): SynthTiming & { metrics: AssemblyMetrics } {
  return withOutdir((outdir) => ({ ...timeSynthInto(variant, validation, outdir), metrics: measureAssembly(outdir) }));
}

/**
 * Times the first synth in a new Node.js process (this file run by ts-node). Only construction and synth are timed,
 * not Node.js start-up, ts-node or loading aws-cdk-lib, which a user's toolchain pays differently.
 */
export function timeSynthInFreshProcess(variant: ComparisonVariant, validation: boolean): SynthTiming {
  const child = spawnSync(process.execPath, ['-r', 'ts-node/register', __filename, variant, validation ? 'on' : 'off'], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) {
    throw new Error(`fresh-process synth of ${variant} failed (exit ${child.status}): ${child.stderr}`);
  }
  // The last line is ours; anything before it is what the app itself printed.
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

function timeSynthInto(variant: ComparisonVariant, validation: boolean, outdir: string): SynthTiming {
  collectGarbage();
  const start = process.hrtime.bigint();
  const app = newComparisonApp(variant, outdir, validation);
  const built = process.hrtime.bigint();
  app.synth();
  const done = process.hrtime.bigint();
  return { constructMs: Number(built - start) / 1e6, synthMs: Number(done - built) / 1e6 };
}

function withOutdir<T>(work: (outdir: string) => T): T {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-eks-fargate-bench-'));
  try {
    return work(outdir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [variant, validation] = process.argv.slice(2) as [ComparisonVariant, string];
  if (!COMPARISON_VARIANTS.includes(variant) || !['on', 'off'].includes(validation)) {
    throw new Error(`usage: synth-timing.ts <${COMPARISON_VARIANTS.join('|')}> <on|off>`);
  }
  console.log(JSON.stringify(timeSynth(variant, validation === 'on')));
}
