/**
 * Counts what a synthesized cloud assembly would deploy, read from its files so that nested stacks (which are not
 * artifacts of their own) count too.
 */
import * as fs from 'fs';
import * as path from 'path';

/** What one cloud assembly deploys. */
export interface AssemblyMetrics {
  /** Resources over all templates, nested stacks included. */
  readonly resources: number;
  /** Templates in the assembly (root and nested stacks). */
  readonly templates: number;
  /** `AWS::Lambda::Function` resources over all templates. */
  readonly lambdaFunctions: number;
  /** `AWS::IAM::Role` resources over all templates. */
  readonly iamRoles: number;
  /** Bytes of everything the asset manifests upload (code, layers and templates), each source counted once. */
  readonly assetBytes: number;
  /**
   * Fargate profile operations CloudFormation must run one after another: the longest chain of profile resources
   * (native or custom) linked by `DependsOn`, `Ref` or `Fn::GetAtt`, directly or through other resources.
   */
  readonly serializedProfileOperations: number;
  /** Resources of each type over all templates. */
  readonly resourceTypes: { readonly [type: string]: number };
}

interface TemplateResource {
  readonly Type: string;
  readonly DependsOn?: string | string[];
  readonly Properties?: unknown;
}

/** Resource types that create a Fargate profile: ours is native, aws-cdk-lib's v1 module uses a custom resource. */
const PROFILE_TYPES = new Set(['AWS::EKS::FargateProfile', 'Custom::AWSCDK-EKS-FargateProfile']);

/** Reads the metrics of the cloud assembly in `outdir`. */
export function measureAssembly(outdir: string): AssemblyMetrics {
  const files = fs.readdirSync(outdir);
  const templates = files.filter((file) => file.endsWith('.template.json'))
    .map((file) => readJson(path.join(outdir, file)).Resources as Record<string, TemplateResource> ?? {});
  const all = templates.flatMap((resources) => Object.values(resources));
  const resourceTypes: { [type: string]: number } = {};
  for (const resource of all) {
    resourceTypes[resource.Type] = (resourceTypes[resource.Type] ?? 0) + 1;
  }
  const countType = (type: string) => resourceTypes[type] ?? 0;
  return {
    resources: all.length,
    templates: templates.length,
    lambdaFunctions: countType('AWS::Lambda::Function'),
    iamRoles: countType('AWS::IAM::Role'),
    assetBytes: assetBytes(outdir, files),
    serializedProfileOperations: Math.max(0, ...templates.map(longestProfileChain)),
    resourceTypes,
  };
}

function assetBytes(outdir: string, files: string[]): number {
  const sources = new Set<string>();
  for (const manifest of files.filter((file) => file.endsWith('.assets.json'))) {
    const { files: fileAssets = {}, dockerImages = {} } = readJson(path.join(outdir, manifest));
    for (const asset of [...Object.values(fileAssets), ...Object.values(dockerImages)] as Array<{ source: { path?: string; directory?: string } }>) {
      const source = asset.source.path ?? asset.source.directory;
      if (source) {
        sources.add(path.resolve(outdir, source));
      }
    }
  }
  return [...sources].reduce((sum, source) => sum + sizeOnDisk(source), 0);
}

function sizeOnDisk(file: string): number {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) {
    return stat.size;
  }
  return fs.readdirSync(file).reduce((sum, child) => sum + sizeOnDisk(path.join(file, child)), 0);
}

/**
 * Longest path in the template's dependency graph counted in profile resources. References order resources just as
 * `DependsOn` does, so both are edges; a chain through a non-profile resource still serializes the profiles.
 */
function longestProfileChain(resources: Record<string, TemplateResource>): number {
  const memo = new Map<string, number>();
  const chain = (logicalId: string): number => {
    const known = memo.get(logicalId);
    if (known !== undefined) {
      return known;
    }
    memo.set(logicalId, 0); // valid templates are acyclic; this only stops a malformed one from looping
    const resource = resources[logicalId];
    const below = Math.max(0, ...[...dependencies(resource)].filter((id) => id in resources).map(chain));
    const length = below + (PROFILE_TYPES.has(resource.Type) ? 1 : 0);
    memo.set(logicalId, length);
    return length;
  };
  return Math.max(0, ...Object.keys(resources).map(chain));
}

function dependencies(resource: TemplateResource): Set<string> {
  const found = new Set<string>([resource.DependsOn ?? []].flat());
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Ref' && typeof inner === 'string') {
          found.add(inner);
        } else if (key === 'Fn::GetAtt' && (Array.isArray(inner) || typeof inner === 'string')) {
          found.add(Array.isArray(inner) ? String(inner[0]) : inner.split('.')[0]);
        } else {
          visit(inner);
        }
      }
    }
  };
  visit(resource.Properties);
  return found;
}

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
