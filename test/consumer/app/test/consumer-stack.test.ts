import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConsumerStack } from '../lib/consumer-stack';

test('the stack synthesizes the resources a default cluster needs', () => {
  const app = new cdk.App();
  const stack = new ConsumerStack(app, 'ConsumerStack', { env: { account: '123456789012', region: 'us-east-1' } });

  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>;
  const counts: Record<string, number> = {};
  for (const resource of Object.values(resources)) {
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  }
  expect(Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)))).toMatchSnapshot();
});
