import { withoutTokenMarkers } from '../shared/tokens';
/**
 * The data of the `aws-observability/aws-logging` ConfigMap that configures Fargate's built-in Fluent Bit log
 * router, validated against the rules Fargate applies. Fargate checks the ConfigMap only when a pod starts and
 * then silently runs without logging, so every rule it documents is checked here at synth time instead.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-logging.html
 */

/** The most characters the ConfigMap may hold (Fargate limit). */
export const FARGATE_LOGGING_MAX_CHARACTERS = 5300;

/** Output plugins Fargate accepts, as listed in its documentation. */
export const FARGATE_LOGGING_OUTPUT_PLUGINS = ['cloudwatch', 'cloudwatch_logs', 'es', 'firehose', 'kinesis', 'kinesis_firehose'];

/** Filter plugins Fargate accepts, as listed in its documentation. */
export const FARGATE_LOGGING_FILTER_PLUGINS = ['grep', 'kubernetes', 'modify', 'nest', 'parser', 'record_modifier', 'rewrite_tag', 'throttle'];

/** Kubernetes filter settings that Fargate fills in itself and refuses from users. */
const SERVICE_OWNED_KUBERNETES_KEYS = ['kube_url', 'kube_ca_file', 'kube_token_command', 'kube_token_file'];

/** The section each data key may hold; the log router manages SERVICE and INPUT itself. */
const SECTION_OF_KEY: { [key: string]: string } = {
  'filters.conf': 'FILTER',
  'output.conf': 'OUTPUT',
  'parsers.conf': 'PARSER',
};
const KEY_OF_SECTION: { [section: string]: string } = { FILTER: 'filters.conf', OUTPUT: 'output.conf', PARSER: 'parsers.conf' };
const FLAG_KEY = 'flb_log_cw';

/** Keys that must appear in every section of a kind (matched case-insensitively, as Fargate does). */
const REQUIRED_KEYS: { [section: string]: string[][] } = {
  // Fluent Bit also takes `Match_Regex` in place of `Match`; accepting it keeps a valid config from being refused.
  FILTER: [['name'], ['match', 'match_regex']],
  OUTPUT: [['name'], ['match', 'match_regex']],
  PARSER: [['name'], ['format']],
};


/** The sections of the ConfigMap as a construct receives them. */
export interface FargateLoggingSections {
  /** Text of `filters.conf`: `[FILTER]` sections only. @default - none */
  readonly filtersConf?: string;
  /** Text of `output.conf`: one or more `[OUTPUT]` sections. */
  readonly outputConf: string;
  /** Text of `parsers.conf`: `[PARSER]` sections only. @default - none */
  readonly parsersConf?: string;
  /** Ship Fluent Bit's own process logs to CloudWatch (`flb_log_cw`). @default - not set (false) */
  readonly flbLogCw?: boolean;
}

interface ConfigSection {
  readonly kind: string;
  readonly line: number;
  readonly entries: { [lowerCaseKey: string]: string };
}

function fail(key: string, problem: string): never {
  throw new Error(`Fargate logging ConfigMap \`aws-logging\`, key \`${key}\`: ${problem}`);
}

/** Checks one section's entries against the keys and plugins Fargate requires. */
function checkSection(key: string, section: ConfigSection): void {
  const where = `[${section.kind}] at line ${section.line}`;
  for (const alternatives of REQUIRED_KEYS[section.kind]) {
    if (!alternatives.some((required) => section.entries[required] !== undefined)) {
      fail(key, `${where} has no \`${alternatives[0]}\`; Fargate requires \`${REQUIRED_KEYS[section.kind].map((a) => a[0]).join('` and `')}\` in every [${section.kind}]`);
    }
  }
  const plugin = section.entries.name.toLowerCase();
  const allowed = section.kind === 'OUTPUT' ? FARGATE_LOGGING_OUTPUT_PLUGINS : section.kind === 'FILTER' ? FARGATE_LOGGING_FILTER_PLUGINS : undefined;
  if (allowed && !allowed.includes(plugin)) {
    fail(key, `${where} uses plugin \`${section.entries.name}\`; Fargate accepts only ${allowed.map((name) => `\`${name}\``).join(', ')}`);
  }
  if (plugin === 'kubernetes') {
    const owned = SERVICE_OWNED_KUBERNETES_KEYS.filter((owner) => section.entries[owner] !== undefined);
    if (owned.length > 0) {
      fail(key, `${where} sets ${owned.map((name) => `\`${name}\``).join(', ')}; Fargate fills these in itself and rejects them`);
    }
  }
}

/**
 * Parses a Fluent Bit classic-mode text and checks Fargate's rules: only this key's section kind, the required
 * keys and plugins, no `@` directives or environment variables, and consistent indentation (all headers alike,
 * all entries alike and deeper than the headers).
 */
function checkConfigText(key: string, text: string): ConfigSection[] {
  const expected = SECTION_OF_KEY[key];
  const sections: ConfigSection[] = [];
  // Entries live in a prototype-less object so that a setting named like an Object method is just a setting.
  let current: { kind: string; line: number; entries: { [k: string]: string } } | undefined;
  let headerIndent: string | undefined;
  let entryIndent: string | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      return;
    }
    const indent = raw.slice(0, raw.length - raw.trimStart().length);
    if (withoutTokenMarkers(trimmed).includes('${')) {
      fail(key, `line ${line} uses an environment variable (\`${trimmed}\`); Fargate does not allow them`);
    }
    if (trimmed.startsWith('@')) {
      fail(key, `line ${line} is a \`${trimmed.split(/\s+/)[0]}\` directive; Fargate accepts only [FILTER], [OUTPUT] and [PARSER] sections`);
    }
    const header = /^\[([^\]]*)\]$/.exec(trimmed);
    if (header) {
      const kind = header[1].trim().toUpperCase();
      if (kind !== expected) {
        const home = Object.hasOwn(KEY_OF_SECTION, kind) ? KEY_OF_SECTION[kind] : undefined;
        fail(key, home
          ? `line ${line} opens a [${kind}] section, which belongs under \`${home}\`; \`${key}\` may hold only [${expected}] sections`
          : `line ${line} opens a [${kind}] section; Fargate accepts only [FILTER], [OUTPUT] and [PARSER] sections (it manages SERVICE and INPUT itself)`);
      }
      if (headerIndent !== undefined && indent !== headerIndent) {
        fail(key, `line ${line}: section headers must all have the same indentation`);
      }
      headerIndent = indent;
      current = { kind, line, entries: Object.create(null) };
      sections.push(current);
      return;
    }
    if (!current) {
      fail(key, `line ${line} (\`${trimmed}\`) comes before any [${expected}] section header`);
    }
    if ((entryIndent !== undefined && indent !== entryIndent) || indent.length <= (headerIndent ?? '').length) {
      fail(key, `line ${line}: settings must all have the same indentation, deeper than their section header`);
    }
    entryIndent = indent;
    const [name, ...rest] = trimmed.split(/\s+/);
    current.entries[name.toLowerCase()] = rest.join(' ');
  });
  sections.forEach((section) => checkSection(key, section));
  return sections;
}

/**
 * Checks the data of an `aws-logging` ConfigMap the way Fargate does.
 *
 * The size counts the characters of every key and value: a conservative reading of "the ConfigMap can't exceed
 * 5300 characters", which AWS does not define further. CDK tokens count with the length of their token text.
 *
 * @throws Error naming the key, the offending section or value, and the limit
 */
export function validateFargateLoggingData(data: { [key: string]: string }): void {
  let outputs: ConfigSection[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string') {
      fail(key, `the value must be a string, got ${typeof value}`);
    }
    if (key === FLAG_KEY) {
      if (value !== 'true' && value !== 'false') {
        fail(key, `is "${value}"; it must be "true" or "false"`);
      }
    } else if (Object.hasOwn(SECTION_OF_KEY, key)) {
      const sections = checkConfigText(key, value);
      outputs = key === 'output.conf' ? sections : outputs;
    } else {
      fail(key, `is not a key Fargate reads; use \`filters.conf\`, \`output.conf\`, \`parsers.conf\` or \`${FLAG_KEY}\``);
    }
  }
  if (outputs.length === 0) {
    fail('output.conf', 'has no [OUTPUT] section; Fargate enables logging only with at least one supported output');
  }
  const size = Object.entries(data).reduce((sum, [key, value]) => sum + key.length + value.length, 0);
  if (size > FARGATE_LOGGING_MAX_CHARACTERS) {
    const sizes = Object.entries(data).map(([key, value]) => `\`${key}\` ${key.length + value.length}`).join(', ');
    throw new Error(`Fargate logging ConfigMap \`aws-logging\` holds ${size} characters in keys and values (${sizes}); `
      + `Fargate accepts at most ${FARGATE_LOGGING_MAX_CHARACTERS}. Shorten the largest section.`);
  }
}

/**
 * The `data` of the `aws-logging` ConfigMap for the given sections, validated with {@link validateFargateLoggingData}.
 *
 * @throws Error when Fargate would reject the configuration
 */
export function renderFargateLoggingData(sections: FargateLoggingSections): { [key: string]: string } {
  const data: { [key: string]: string } = {};
  if (sections.flbLogCw !== undefined) {
    data[FLAG_KEY] = sections.flbLogCw ? 'true' : 'false';
  }
  if (sections.filtersConf !== undefined) {
    data['filters.conf'] = sections.filtersConf;
  }
  data['output.conf'] = sections.outputConf;
  if (sections.parsersConf !== undefined) {
    data['parsers.conf'] = sections.parsersConf;
  }
  validateFargateLoggingData(data);
  return data;
}

/** Where Fargate pods' logs go in CloudWatch Logs. */
export interface CloudWatchOutputOptions {
  /** Region of the log group. */
  readonly region: string;
  /** An existing log group (the output does not create it). */
  readonly logGroupName: string;
  /** Prefix of the log stream names. @default 'from-fluent-bit-' */
  readonly logStreamPrefix?: string;
}

/**
 * `output.conf` text sending every container log (`kube.*`) to CloudWatch Logs with the `cloudwatch_logs` plugin.
 * `auto_create_group false`: the library creates the log group with a retention, so the pod execution role needs
 * no `logs:CreateLogGroup` and no group without retention appears.
 *
 * @throws Error for a region, log group name or stream prefix that CloudWatch or Fluent Bit would reject
 */
export function renderCloudWatchOutput(options: CloudWatchOutputOptions): string {
  const prefix = options.logStreamPrefix ?? 'from-fluent-bit-';
  // Only literal parts are checked: tokens resolve at deploy time.
  const literal = withoutTokenMarkers;
  if (!/^[a-z0-9-]*$/.test(literal(options.region)) || options.region === '') {
    throw new Error(`CloudWatch output: \`region\` "${options.region}" is not an AWS Region name (e.g. us-east-1)`);
  }
  const group = options.logGroupName;
  if (group === '' || group.length > 512 || !/^[.\-_/#A-Za-z0-9]*$/.test(literal(group))) {
    throw new Error(`CloudWatch output: \`logGroupName\` "${group}" is not a log group name (1-512 of a-z, A-Z, 0-9, '.', '-', '_', '/', '#')`);
  }
  if (prefix === '' || /[\s:*]/.test(literal(prefix))) {
    throw new Error(`CloudWatch output: \`logStreamPrefix\` "${prefix}" must be non-empty, without whitespace, ':' or '*'`);
  }
  return [
    '[OUTPUT]',
    '    Name cloudwatch_logs',
    '    Match kube.*',
    `    region ${options.region}`,
    `    log_group_name ${group}`,
    `    log_stream_prefix ${prefix}`,
    '    auto_create_group false',
    '',
  ].join('\n');
}
