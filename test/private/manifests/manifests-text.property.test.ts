import { Lazy, Stack, Token } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { manifestsTextOf, protoKeyPaths } from '../../../lib/private/manifests/manifests-text';
import { unknownNumberTokenPaths } from '../../../lib/private/manifests/number-tokens';

/**
 * The objects text skips aws-cdk-lib's token-aware rendering when it can; the template must not notice. Two
 * references: the objects themselves, and, where it keeps every key, aws-cdk-lib's rendering
 * (`stack.resolve(stack.toJsonString(objects))`, the text the resource carried before).
 */
function awsCdkLibText(stack: Stack, objects: Record<string, any>[]): string {
  return stack.resolve(stack.toJsonString(objects));
}

/** JSON has one zero: every renderer writes -0 as 0, so the inputs hold 0 (`Object.fromEntries` keeps `__proto__` keys). */
function withOneZero(value: unknown): unknown {
  if (Object.is(value, -0)) {
    return 0;
  }
  if (Array.isArray(value)) {
    return value.map(withOneZero);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withOneZero(item)]));
  }
  return value;
}

describe('manifestsTextOf', () => {
  // Numbers aws-cdk-lib's resolver takes for unknown tokens are refused by KubernetesObjects before this runs.
  const objectLists = fc.array(fc.dictionary(fc.string(), fc.jsonValue().map(withOneZero), { noNullPrototype: true }), { maxLength: 4 })
    .filter((objects) => unknownNumberTokenPaths(objects).length === 0);

  test('any JSON a YAML or JSON parser gives is the text, key for key, and its size is that text\'s in the event', () => {
    const stack = new Stack();
    fc.assert(fc.property(objectLists, (objects) => {
      const { text, bytes } = manifestsTextOf(stack, objects);
      const resolved = stack.resolve(text);
      expect(JSON.parse(resolved)).toEqual(objects);
      expect(bytes).toBe(Buffer.byteLength(JSON.stringify(resolved), 'utf8'));
    }), { numRuns: 300 });
  });

  test('where aws-cdk-lib keeps every key, the text is the one it renders: templates do not change', () => {
    const stack = new Stack();
    fc.assert(fc.property(objectLists.filter((objects) => protoKeyPaths(objects).length === 0), (objects) => {
      expect(stack.resolve(manifestsTextOf(stack, objects).text)).toEqual(awsCdkLibText(stack, objects));
    }), { numRuns: 300 });
  });

  test('a key named __proto__, which parsers give as a field, is kept; aws-cdk-lib\'s rendering loses it', () => {
    const stack = new Stack();
    const objects = [JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"__proto__":"kept"}}')];
    expect(manifestsTextOf(stack, objects).text).toBe('[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"__proto__":"kept"}}]');
    expect(awsCdkLibText(stack, objects)).not.toContain('__proto__');
    expect(protoKeyPaths(objects)).toEqual(['[0].data.__proto__']);
    expect(manifestsTextOf(stack, objects).lostKeys).toEqual([]);
    const withToken = [...objects, { data: { region: Lazy.string({ produce: () => 'eu-west-1' }) } }];
    expect(manifestsTextOf(stack, withToken).lostKeys).toEqual([{ object: objects[0], path: '.data.__proto__' }]);
  });

  test('token-free objects become plain text: nothing is left to resolve at synth', () => {
    const stack = new Stack();
    const { text } = manifestsTextOf(stack, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flow', labels: { a: 'ü' } } }]);
    expect(Token.isUnresolved(text)).toBe(false);
    expect(text).toBe('[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"flow","labels":{"a":"ü"}}}]');
  });

  test.each([
    ['a string token', { metadata: { name: Lazy.string({ produce: () => 'from-a-token' }) } }],
    ['a number token', { spec: { replicas: Lazy.number({ produce: () => 3 }) } }],
    ['a resolvable object', { data: Lazy.any({ produce: () => ({ k: 'v' }) }) }],
    ['an undefined array item, which the resolver drops', { items: ['a', undefined, 'b'] }],
    ['a date', { metadata: { annotations: { at: new Date(0) } } }],
  ])('objects with %s keep aws-cdk-lib\'s rendering, so the template is what it was', (_label, object) => {
    const stack = new Stack();
    const objects = [object as Record<string, any>];
    const { text, bytes } = manifestsTextOf(stack, objects);
    expect(Token.isUnresolved(text)).toBe(true);
    expect(stack.resolve(text)).toEqual(awsCdkLibText(stack, objects));
    expect(bytes).toBe(Buffer.byteLength(JSON.stringify(awsCdkLibText(stack, objects)), 'utf8'));
  });

  test('a deploy-time value in the objects resolves to a CloudFormation join, as before', () => {
    const stack = new Stack();
    const { text } = manifestsTextOf(stack, [{ data: { region: stack.region } }]);
    expect(stack.resolve(text)).toEqual({ 'Fn::Join': ['', ['[{"data":{"region":"', { Ref: 'AWS::Region' }, '"}}]']] });
  });
});
