import { App } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { everyFeature } from './helpers/every-feature';
import { CLUSTER_TAGGED_TYPES, SCHEMA_TAG_LIMITS, TagLimit } from '../lib/private/shared/tag-rules';

/**
 * The tag table against its source: the CloudFormation resource schemas inside aws-cdk-lib's built-in validator,
 * read back by validating a resource with tags too long and too short for any schema.
 */

// aws-cdk-lib's own dependency, the engine behind `@aws-cdk/core:validateAgainstDefaultRules`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const validator = require(require.resolve('@aws/cloudformation-validate', { paths: [require.resolve('aws-cdk-lib')] }));

/** The property that holds a type's tags, where it is not `Tags`. */
const TAG_PROPERTY: { [type: string]: string } = { 'AWS::EFS::FileSystem': 'FileSystemTags', 'AWS::EFS::AccessPoint': 'AccessPointTags' };

/** The limits the validator's schema of `type` enforces on tag keys and values. */
function schemaLimits(schemas: any, type: string): TagLimit {
  const found: { [field: string]: number } = {};
  for (const [key, value] of [['k'.repeat(5000), 'v'.repeat(5000)], ['k', '']]) {
    const template = { Resources: { R: { Type: type, Properties: { [TAG_PROPERTY[type] ?? 'Tags']: [{ Key: key, Value: value }] } } } };
    for (const diagnostic of schemas.validate(new validator.TemplateContent(JSON.stringify(template)), 'eu-west-1')) {
      const field = /\.0\.(Key|Value)$/.exec(diagnostic.propertyPath ?? '')?.[1];
      const limit = /(maximum|minimum) (\d+)/.exec(diagnostic.message);
      if (field && limit) {
        found[`${limit[1] === 'maximum' ? 'max' : 'min'}${field}Length`] = Number(limit[2]);
      }
    }
  }
  return { maxKeyLength: found.maxKeyLength, minValueLength: found.minValueLength, maxValueLength: found.maxValueLength };
}

describe('tag limits', () => {
  test('every resource type a cluster\'s tags reach has its schema\'s limits in the table', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stacks = [everyFeature(app, eks.EndpointAccess.PUBLIC_AND_PRIVATE, { probe: 'tag' }), everyFeature(app, eks.EndpointAccess.PRIVATE, { probe: 'tag' })];
    const assembly = app.synth();
    const tagged = new Set<string>();
    for (const stack of stacks) {
      for (const resource of Object.values<any>(assembly.getStackByName(stack.stackName).template.Resources)) {
        const tags = resource.Properties?.[TAG_PROPERTY[resource.Type] ?? 'Tags'];
        if (JSON.stringify(tags ?? null).includes('"probe"')) {
          tagged.add(resource.Type);
        }
      }
    }
    expect(tagged.size).toBeGreaterThan(10);
    expect([...tagged].filter((type) => !CLUSTER_TAGGED_TYPES.includes(type))).toEqual([]);
  });

  test('the table holds exactly the limits of the schemas aws-cdk-lib\'s validator ships', () => {
    const schemas = new validator.SchemaValidator();
    try {
      const fromSchemas = Object.fromEntries(Object.keys(SCHEMA_TAG_LIMITS).map((type) => [type, schemaLimits(schemas, type)]));
      const table = Object.fromEntries(Object.entries(SCHEMA_TAG_LIMITS).map(([type, limit]) =>
        [type, { maxKeyLength: limit.maxKeyLength, minValueLength: limit.minValueLength, maxValueLength: limit.maxValueLength }]));
      expect(table).toEqual(fromSchemas);
    } finally {
      schemas.free();
    }
  });
});
