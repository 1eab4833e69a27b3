import {
  FARGATE_LOGGING_MAX_CHARACTERS,
  renderCloudWatchOutput,
  renderFargateLoggingData,
  validateFargateLoggingData,
} from '../../../lib/private/logging/aws-logging-config';

const OUTPUT = [
  '[OUTPUT]',
  '    Name cloudwatch_logs',
  '    Match kube.*',
  '    region eu-west-1',
  '    log_group_name /eks/fargate',
  '    log_stream_prefix fargate-',
  '    auto_create_group false',
  '',
].join('\n');

const FILTERS = [
  '[FILTER]',
  '    Name parser',
  '    Match *',
  '    Key_name log',
  '    Parser crio',
  '[FILTER]',
  '    Name kubernetes',
  '    Match kube.*',
  '    Merge_Log On',
  '',
].join('\n');

const PARSERS = '[PARSER]\n    Name crio\n    Format Regex\n    Regex ^(?<time>[^ ]+) (?<log>.*)$\n';

describe('renderCloudWatchOutput', () => {
  test('renders a cloudwatch_logs output that does not create the log group', () => {
    // GIVEN / WHEN
    const text = renderCloudWatchOutput({ region: 'eu-west-1', logGroupName: '/eks/fargate', logStreamPrefix: 'fargate-' });
    // THEN
    expect(text).toBe(OUTPUT);
  });

  test('defaults the stream prefix and accepts CDK tokens', () => {
    const text = renderCloudWatchOutput({ region: '${Token[AWS.Region.9]}', logGroupName: '${Token[TOKEN.42]}' });
    expect(text).toContain('    region ${Token[AWS.Region.9]}\n');
    expect(text).toContain('    log_stream_prefix from-fluent-bit-\n');
    expect(() => renderFargateLoggingData({ outputConf: text })).not.toThrow();
  });

  test('rejects a region, log group or prefix that CloudWatch would not take', () => {
    expect(() => renderCloudWatchOutput({ region: 'EU West', logGroupName: 'g' }))
      .toThrow(/`region` "EU West" is not an AWS Region name/);
    expect(() => renderCloudWatchOutput({ region: 'eu-west-1', logGroupName: 'my group' }))
      .toThrow(/`logGroupName` "my group" is not a log group name/);
    expect(() => renderCloudWatchOutput({ region: 'eu-west-1', logGroupName: 'g', logStreamPrefix: 'a:b' }))
      .toThrow(/`logStreamPrefix` "a:b" must be non-empty, without whitespace, ':' or '\*'/);
  });
});

describe('renderFargateLoggingData', () => {
  test('returns the ConfigMap data with every given section', () => {
    // GIVEN / WHEN
    const data = renderFargateLoggingData({ filtersConf: FILTERS, outputConf: OUTPUT, parsersConf: PARSERS, flbLogCw: false });
    // THEN
    expect(data).toEqual({ 'flb_log_cw': 'false', 'filters.conf': FILTERS, 'output.conf': OUTPUT, 'parsers.conf': PARSERS });
  });

  test('accepts every output plugin Fargate documents, in any case', () => {
    for (const plugin of ['cloudwatch', 'cloudwatch_logs', 'es', 'firehose', 'kinesis', 'KINESIS_FIREHOSE']) {
      expect(() => renderFargateLoggingData({ outputConf: `[OUTPUT]\n  Name ${plugin}\n  Match *\n` })).not.toThrow();
    }
  });

  test('rejects an output plugin Fargate does not support', () => {
    expect(() => renderFargateLoggingData({ outputConf: '[OUTPUT]\n    Name s3\n    Match *\n' }))
      .toThrow(/key `output.conf`: \[OUTPUT\] at line 1 uses plugin `s3`; Fargate accepts only `cloudwatch`, `cloudwatch_logs`/);
  });

  test('rejects a filter plugin Fargate does not support', () => {
    expect(() => renderFargateLoggingData({ filtersConf: '[FILTER]\n    Name lua\n    Match *\n', outputConf: OUTPUT }))
      .toThrow(/key `filters.conf`: \[FILTER\] at line 1 uses plugin `lua`; Fargate accepts only `grep`/);
  });

  test('rejects a section under the wrong key', () => {
    expect(() => renderFargateLoggingData({ filtersConf: OUTPUT, outputConf: OUTPUT }))
      .toThrow(/key `filters.conf`: line 1 opens a \[OUTPUT\] section, which belongs under `output.conf`; `filters.conf` may hold only \[FILTER\] sections/);
  });

  test('rejects SERVICE and INPUT sections', () => {
    expect(() => renderFargateLoggingData({ outputConf: `[INPUT]\n    Name tail\n${OUTPUT}` }))
      .toThrow(/line 1 opens a \[INPUT\] section; Fargate accepts only \[FILTER\], \[OUTPUT\] and \[PARSER\] sections/);
  });

  test('rejects a section without its required keys', () => {
    expect(() => renderFargateLoggingData({ outputConf: '[OUTPUT]\n    Name es\n' }))
      .toThrow(/\[OUTPUT\] at line 1 has no `match`; Fargate requires `name` and `match` in every \[OUTPUT\]/);
    expect(() => renderFargateLoggingData({ outputConf: OUTPUT, parsersConf: '[PARSER]\n    Name crio\n' }))
      .toThrow(/key `parsers.conf`: \[PARSER\] at line 1 has no `format`/);
  });

  test('rejects environment variables and @ directives', () => {
    expect(() => renderFargateLoggingData({ outputConf: OUTPUT.replace('eu-west-1', '${AWS_REGION}') }))
      .toThrow(/key `output.conf`: line 4 uses an environment variable \(`region \$\{AWS_REGION\}`\); Fargate does not allow them/);
    expect(() => renderFargateLoggingData({ outputConf: `@INCLUDE more.conf\n${OUTPUT}` }))
      .toThrow(/line 1 is a `@INCLUDE` directive/);
  });

  test('rejects settings of the kubernetes filter that Fargate owns', () => {
    expect(() => renderFargateLoggingData({ filtersConf: `${FILTERS}    Kube_URL https://kubernetes\n`, outputConf: OUTPUT }))
      .toThrow(/\[FILTER\] at line 6 sets `kube_url`; Fargate fills these in itself and rejects them/);
  });

  test('rejects inconsistent indentation', () => {
    expect(() => renderFargateLoggingData({ outputConf: '[OUTPUT]\n    Name es\n  Match *\n' }))
      .toThrow(/line 3: settings must all have the same indentation, deeper than their section header/);
    expect(() => renderFargateLoggingData({ outputConf: '[OUTPUT]\nName es\n' }))
      .toThrow(/line 2: settings must all have the same indentation, deeper than their section header/);
    expect(() => renderFargateLoggingData({ outputConf: `${OUTPUT}  [OUTPUT]\n      Name es\n` }))
      .toThrow(/line 8: section headers must all have the same indentation/);
  });

  test('rejects settings before any section header', () => {
    expect(() => renderFargateLoggingData({ outputConf: `    Name es\n${OUTPUT}` }))
      .toThrow(/line 1 \(`Name es`\) comes before any \[OUTPUT\] section header/);
  });

  test('rejects a configuration without an output', () => {
    expect(() => renderFargateLoggingData({ outputConf: '# nothing yet\n' }))
      .toThrow(/key `output.conf`: has no \[OUTPUT\] section; Fargate enables logging only with at least one supported output/);
  });

  test('rejects a ConfigMap above 5,300 characters, naming each key\'s size', () => {
    // GIVEN a parser section padded past the limit
    const parsersConf = `${PARSERS}    Regex_Padding ${'x'.repeat(FARGATE_LOGGING_MAX_CHARACTERS)}\n`;
    // WHEN / THEN
    expect(() => renderFargateLoggingData({ outputConf: OUTPUT, parsersConf }))
      .toThrow(/holds 5\d{3} characters in keys and values \(`output.conf` \d+, `parsers.conf` \d+\); Fargate accepts at most 5300/);
  });
});

describe('validateFargateLoggingData', () => {
  test('rejects unknown keys and a flag that is not true or false', () => {
    expect(() => validateFargateLoggingData({ 'output.conf': OUTPUT, 'fluent-bit.conf': '' }))
      .toThrow(/key `fluent-bit.conf`: is not a key Fargate reads; use `filters.conf`, `output.conf`, `parsers.conf` or `flb_log_cw`/);
    expect(() => validateFargateLoggingData({ 'output.conf': 5 as any }))
      .toThrow(/key `output.conf`: the value must be a string, got number/);
    expect(() => validateFargateLoggingData({ 'output.conf': OUTPUT, 'flb_log_cw': 'yes' }))
      .toThrow(/key `flb_log_cw`: is "yes"; it must be "true" or "false"/);
  });

  test('accepts the AWS documentation\'s CloudWatch example', () => {
    expect(() => validateFargateLoggingData({ 'flb_log_cw': 'true', 'filters.conf': FILTERS, 'output.conf': OUTPUT, 'parsers.conf': PARSERS }))
      .not.toThrow();
  });
});
