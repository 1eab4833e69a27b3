#!/usr/bin/env bash
# Consumer check: install the packed library into a fresh app laid out like `cdk init app --language typescript`
# (ts-node --prefer-ts-exts, strict tsc, jest + ts-jest) and type-check, synthesize and snapshot-test it there.
# Offline: every package comes from the npm cache (or the registry), at the versions this repo builds with.
#
#   test/consumer/run.sh [tarball]    default: dist/js/*.tgz from `npx projen build`, else `npm pack` of lib/
#   UPDATE_SNAPSHOT=1 test/consumer/run.sh   rewrites test/consumer/app/test/__snapshots__ from this run
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
scratch="$(mktemp -d)"
tsc_pid=""
# A failing step stops the script; the background type check (below) goes with it.
# `|| true`: under `set -e` a failing kill (the check already ended) would end the trap, and the script, with status 1.
trap 'if [[ -n "$tsc_pid" ]]; then kill "$tsc_pid" 2>/dev/null || true; fi; rm -rf "$scratch"' EXIT

tarball="${1:-}"
if [[ -z "$tarball" ]]; then
  tarball="$(ls "$repo"/dist/js/cdk-eks-fargate@*.tgz 2>/dev/null | head -1 || true)"
fi
if [[ -z "$tarball" ]]; then
  [[ -f "$repo/lib/index.js" ]] || { echo "consumer check: compile first (npx projen compile)" >&2; exit 1; }
  tarball="$scratch/$(cd "$repo" && npm pack --silent --pack-destination "$scratch")"
fi
tarball="$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")"

app="$scratch/app"
cp -R "$here/app" "$app"
cd "$app"
# The versions this repo builds and tests with (TypeScript ~6.0: ts-node and ts-jest do not run on TypeScript 7).
version() { node -p "require('$repo/node_modules/$1/package.json').version"; }
node -e '
const [tarball, ...pairs] = process.argv.slice(1);
const deps = {}; for (let i = 0; i < pairs.length; i += 2) deps[pairs[i]] = pairs[i + 1];
const runtime = ["aws-cdk-lib", "constructs"];
const pkg = { name: "consumer-app", version: "0.1.0", private: true, bin: { app: "bin/app.js" },
  scripts: { build: "tsc", test: "jest", cdk: "cdk" },
  dependencies: { "cdk-eks-fargate": "file:" + tarball }, devDependencies: {} };
for (const [name, v] of Object.entries(deps)) (runtime.includes(name) ? pkg.dependencies : pkg.devDependencies)[name] = v;
require("fs").writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
' "$tarball" \
  aws-cdk-lib "$(version aws-cdk-lib)" constructs "$(version constructs)" aws-cdk "$(version aws-cdk)" \
  typescript "$(version typescript)" ts-node "$(version ts-node)" jest "$(version jest)" ts-jest "$(version ts-jest)" \
  @types/jest "$(version @types/jest)" @types/node "$(version @types/node)"

echo "consumer check: installing $(basename "$tarball") into a fresh app ($SECONDS s)"
npm install --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null

# One type-checking program for both questions: the app under cdk init's strict settings, and the library's
# declarations, which cdk init's skipLibCheck would hide (a .d.ts that needs a type package the user lacks, e.g.
# @types/js-yaml). skipLibCheck only skips declaration files, so with it off the app's errors are the same.
# It runs beside cdk synth (each takes seconds of CPU); its verdict is read after jest.
echo "consumer check: type check (strict, noUncheckedIndexedAccess; the library's declarations with skipLibCheck off), in the background ($SECONDS s)"
node "$here/check-types.js" >"$scratch/tsc.log" 2>&1 &
tsc_pid=$!

echo "consumer check: cdk synth (no credentials) ($SECONDS s)"
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE \
  AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_EC2_METADATA_DISABLED=true \
  CDK_DISABLE_CLI_TELEMETRY=true \
  node_modules/.bin/cdk synth --quiet --no-notices --no-version-reporting >/dev/null
node -e '
const manifest = require("./cdk.out/manifest.json");
if ((manifest.missing ?? []).length > 0) { console.error("consumer check: synth needs context", manifest.missing); process.exit(1); }
'

echo "consumer check: jest (ts-jest, snapshot) ($SECONDS s)"
if [[ "${UPDATE_SNAPSHOT:-}" == "1" ]]; then
  node_modules/.bin/jest --ci=false --updateSnapshot
  rm -rf "$here/app/test/__snapshots__" && cp -R test/__snapshots__ "$here/app/test/"
else
  node_modules/.bin/jest --ci
fi
if ! wait "$tsc_pid"; then
  echo "consumer check: type check failed:" >&2
  cat "$scratch/tsc.log" >&2
  exit 1
fi
echo "consumer check: type check passed: $(cat "$scratch/tsc.log") ($SECONDS s)"
# The failures above are what a user meets; this names the cause when the package ships sources again.
sources="$(find node_modules/cdk-eks-fargate/lib -name '*.ts' ! -name '*.d.ts')"
if [[ -n "$sources" ]]; then
  echo "consumer check: the package ships TypeScript sources beside its compiled files, e.g.:" >&2
  sed -n 1,5p <<<"$sources" >&2
  exit 1
fi
echo "consumer check: passed ($SECONDS s)"
