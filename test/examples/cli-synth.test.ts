import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { EXAMPLE_STACKS } from '../helpers/example-stacks';

/**
 * `cdk synth` looks up any context an app reports missing, which needs AWS credentials. With the context in its
 * cdk.json, every example synthesizes through the CLI on a machine without credentials.
 */
describe('examples through the CDK CLI', () => {
  test.each(Object.keys(EXAMPLE_STACKS))('%s needs no context lookup beyond its cdk.json', name => {
    const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', name, 'cdk.json'), 'utf-8'));
    const app = new App({ context: cdkJson.context ?? {} });
    EXAMPLE_STACKS[name](app);

    expect(app.synth().manifest.missing ?? []).toEqual([]);
  });
});
