import * as fs from 'fs';
import * as path from 'path';

/**
 * Prints what a synthesized cloud assembly holds, for a person: stacks, resources by type, Fargate profiles with
 * their selectors and subnets, pod execution role trust conditions, the API endpoint access mode, and the billed
 * Fargate size and price of every workload (the `<stack>.fargate-cost.md` report synth writes beside the templates).
 *
 * Usage: ts-node examples/summarize.ts <cdk.out>
 */
type Template = { Resources?: { [logicalId: string]: { Type: string; Properties?: any } } };

function main(assemblyDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf-8'));
  const stacks = Object.entries<any>(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack');
  for (const [stackName, artifact] of stacks) {
    const templateFile = path.join(assemblyDir, artifact.properties.templateFile);
    const template: Template = JSON.parse(fs.readFileSync(templateFile, 'utf-8'));
    printStack(stackName, artifact.environment, template);
    printFindings(artifact.metadata ?? {});
    printCostReport(assemblyDir, stackName);
  }
  printNestedStacks(assemblyDir);
  console.log(`\nTemplates are in ${assemblyDir}/. Deploy with: cd examples/etl-on-fargate && npx cdk deploy`);
}

function printStack(stackName: string, environment: string, template: Template): void {
  const resources = template.Resources ?? {};
  const entries = Object.entries(resources);
  console.log(`\nStack ${stackName} (${environment}): ${entries.length} resources`);
  const byType = new Map<string, number>();
  for (const [, resource] of entries) {
    byType.set(resource.Type, (byType.get(resource.Type) ?? 0) + 1);
  }
  for (const [type, count] of [...byType.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`  ${String(count).padStart(3)}  ${type}`);
  }

  for (const [logicalId, resource] of entries.filter(([, r]) => r.Type === 'AWS::EKS::Cluster')) {
    const vpcConfig = resource.Properties?.ResourcesVpcConfig ?? {};
    const access = [vpcConfig.EndpointPublicAccess !== false ? 'public' : undefined, vpcConfig.EndpointPrivateAccess ? 'private' : undefined]
      .filter(Boolean).join(' + ');
    const cidrs = vpcConfig.PublicAccessCidrs ? ` (public from ${vpcConfig.PublicAccessCidrs.join(', ')})` : '';
    console.log(`\n  Cluster ${logicalId}: name ${show(resource.Properties?.Name)}, Kubernetes ${resource.Properties?.Version}, `
      + `endpoint access ${access}${cidrs}, authentication ${resource.Properties?.AccessConfig?.AuthenticationMode}`);
  }

  const profiles = entries.filter(([, r]) => r.Type === 'AWS::EKS::FargateProfile');
  if (profiles.length > 0) {
    console.log('\n  Fargate profiles (one DependsOn chain; EKS runs one profile operation at a time):');
  }
  for (const [logicalId, resource] of profiles) {
    const props = resource.Properties ?? {};
    const selectors = (props.Selectors ?? []).map((selector: any) => {
      const labels = (selector.Labels ?? []).map((label: any) => `${label.Key}=${label.Value}`);
      return labels.length > 0 ? `${selector.Namespace} {${labels.join(', ')}}` : selector.Namespace;
    });
    console.log(`    ${props.FargateProfileName} (${logicalId})`);
    console.log(`      selectors: ${selectors.join('; ')}`);
    console.log(`      subnets:   ${(props.Subnets ?? []).map(show).join(', ')}`);
    console.log(`      role:      ${show(props.PodExecutionRoleArn)}`);
  }

  for (const [logicalId, resource] of entries.filter(([, r]) => r.Type === 'AWS::IAM::Role')) {
    for (const statement of resource.Properties?.AssumeRolePolicyDocument?.Statement ?? []) {
      if (statement.Principal?.Service === 'eks-fargate-pods.amazonaws.com') {
        console.log(`\n  Pod execution role ${logicalId} trusts eks-fargate-pods.amazonaws.com only when `
          + `${statement.Condition ? show(statement.Condition) : 'ANY profile of ANY account uses it (no condition!)'}`);
      }
    }
  }

  const lambdas = byType.get('AWS::Lambda::Function') ?? 0;
  console.log(`\n  Lambda functions in this template: ${lambdas}`);
}

/** Warnings and errors the constructs reported (readiness, validation), by construct path. */
function printFindings(metadata: { [path: string]: Array<{ type: string; data: any }> }): void {
  const findings = Object.entries(metadata).flatMap(([constructPath, entries]) => entries
    .filter(entry => entry.type === 'aws:cdk:warning' || entry.type === 'aws:cdk:error')
    .map(entry => `    ${entry.type === 'aws:cdk:error' ? 'ERROR  ' : 'warning'} ${constructPath}: ${String(entry.data).split('\n')[0]}`));
  console.log(`\n  Synth findings: ${findings.length === 0 ? 'none' : ''}`);
  findings.forEach(line => console.log(line));
}

/** The Fargate size and cost table cdk-eks-fargate writes per stack into the cloud assembly. */
function printCostReport(assemblyDir: string, artifactId: string): void {
  const file = path.join(assemblyDir, `${artifactId}.fargate-cost.md`);
  if (!fs.existsSync(file)) {
    return;
  }
  console.log(`\n  Fargate billed size and on-demand price (${path.basename(file)}; JSON beside it):`);
  fs.readFileSync(file, 'utf-8').split('\n').filter(line => line.startsWith('|')).forEach(line => console.log(`    ${line}`));
}

/** Nested stacks are aws-cdk-lib's kubectl provider, made only when manifests or charts exist. */
function printNestedStacks(assemblyDir: string): void {
  const nested = fs.readdirSync(assemblyDir).filter(file => file.endsWith('.nested.template.json'));
  for (const file of nested) {
    const resources = Object.values<{ Type: string }>(JSON.parse(fs.readFileSync(path.join(assemblyDir, file), 'utf-8')).Resources ?? {});
    const lambdas = resources.filter(resource => resource.Type === 'AWS::Lambda::Function').length;
    console.log(`\n  Nested stack ${file.replace('.nested.template.json', '')}: ${resources.length} resources, ${lambdas} Lambda functions `
      + '(aws-cdk-lib\'s kubectl provider, present because the app applies manifests)');
  }
}

/** Renders CloudFormation intrinsics compactly: {Ref: X} as X, Fn::Join flattened, GetAtt as X.Attr. */
function show(value: any): string {
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map(show).join(', ');
  }
  if (value && typeof value === 'object') {
    if ('Ref' in value) {
      return String(value.Ref).startsWith('AWS::') ? `\${${value.Ref}}` : value.Ref;
    }
    if ('Fn::GetAtt' in value) {
      return value['Fn::GetAtt'].join('.');
    }
    if ('Fn::Join' in value) {
      const [separator, parts] = value['Fn::Join'];
      return parts.map(show).join(separator);
    }
    return Object.entries(value).map(([key, inner]) => `${key} ${show(inner)}`).join(', ');
  }
  return String(value);
}

main(process.argv[2] ?? 'cdk.out');
