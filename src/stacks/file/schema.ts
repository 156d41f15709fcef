/**
 * runledger.yaml as a TypeBox schema: the one definition the loader validates
 * with and `runledger schema stack` publishes as JSON Schema for editors.
 * Durations are a number of seconds or text like "500ms", "30s", "5m".
 */
import { Type, type Static } from '@sinclair/typebox';
import { CONDITIONS } from '../plan.js';

const Str = Type.String();
const Duration = Type.Union([Type.Number({ minimum: 0 }), Type.String({ pattern: '^\\s*(\\d+(\\.\\d+)?(ms|s|m|h|d)?)+\\s*$' })], {
  description: 'a duration: seconds, or 500ms, 30s, 5m, 1h',
});
const EnvValue = Type.Union([Type.String(), Type.Number(), Type.Boolean()], {
  description: 'a string (numbers and booleans are written out)',
});
const Policy = Type.Union([Type.Literal('never'), Type.Literal('on-failure'), Type.Literal('always')], {
  description: 'never|on-failure|always',
});
const Port = Type.Integer({ minimum: 1, maximum: 65535, description: 'a TCP port (1-65535)' });
const Condition = Type.Union(
  CONDITIONS.map((c) => Type.Literal(c)),
  { description: CONDITIONS.join('|') },
);
const Command = Type.Union([Type.String({ minLength: 1 }), Type.Array(Str, { minItems: 1 })], {
  description: 'a program (with args), or a list [program, arg, ...]',
});

const Ready = Type.Object(
  {
    line: Type.Optional(Type.String({ description: 'a regular expression matched against each output line' })),
    port: Type.Optional(Port),
    host: Type.Optional(Str),
    socket: Type.Optional(Str),
    timeout: Type.Optional(Duration),
  },
  { additionalProperties: false, description: 'when the process counts as ready: line, port and/or socket' },
);

const Restart = Type.Union(
  [
    Policy,
    Type.Object(
      {
        policy: Policy,
        maxRestarts: Type.Optional(Type.Integer({ minimum: 0 })),
        backoff: Type.Optional(Duration),
        maxBackoff: Type.Optional(Duration),
        minUptime: Type.Optional(Duration),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'never|on-failure|always, or { policy, maxRestarts, backoff, maxBackoff, minUptime }' },
);

const Health = Type.Object(
  {
    http: Type.Optional(
      Type.Union([Type.String({ minLength: 1 }), Type.Object({ url: Type.String({ minLength: 1 }) }, { additionalProperties: false })], {
        description: 'a URL answering 2xx/3xx, or { url }',
      }),
    ),
    tcp: Type.Optional(
      Type.Union([Port, Type.Object({ port: Port, host: Type.Optional(Str) }, { additionalProperties: false })], {
        description: 'a port accepting connections, or { port, host }',
      }),
    ),
    exec: Type.Optional(Command),
    interval: Type.Optional(Duration),
    timeout: Type.Optional(Duration),
    failureThreshold: Type.Optional(Type.Integer({ minimum: 1 })),
    startPeriod: Type.Optional(Duration),
  },
  { additionalProperties: false, description: 'one probe (http, tcp or exec) and its timing' },
);

export const StackProcessSchema = Type.Object(
  {
    command: Command,
    args: Type.Optional(Type.Array(Str)),
    shell: Type.Optional(Type.Boolean({ description: 'true: run command through /bin/sh -c' })),
    cwd: Type.Optional(Type.String({ description: "relative to the stack file's directory" })),
    env: Type.Optional(Type.Record(Type.String(), EnvValue)),
    envFile: Type.Optional(Type.String({ description: "read at every spawn; relative to the stack file's directory" })),
    secretEnv: Type.Optional(Type.Array(Str, { description: 'names to treat as secret besides those the word rule finds' })),
    labels: Type.Optional(Type.Record(Type.String(), Str)),
    ready: Type.Optional(Ready),
    stopSignal: Type.Optional(Str),
    grace: Type.Optional(Duration),
    timeout: Type.Optional(Duration),
    restart: Type.Optional(Restart),
    logs: Type.Optional(
      Type.Object({ maxBytes: Type.Optional(Type.Integer()), keep: Type.Optional(Type.Integer()) }, { additionalProperties: false }),
    ),
    runtime: Type.Optional(Type.Union([Type.Literal('background'), Type.Literal('tmux')], { description: 'background|tmux' })),
    keepLeftovers: Type.Optional(Type.Boolean()),
    dependsOn: Type.Optional(Type.Record(Type.String(), Condition, { description: 'process name -> started|ready|healthy|completed' })),
    health: Type.Optional(Health),
    replicas: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'run N copies, named NAME.1 … NAME.N' })),
  },
  { additionalProperties: false },
);

export const StackFileSchema = Type.Object(
  {
    $schema: Type.Optional(Str),
    name: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*$', description: "the stack's name (default: the directory's)" }),
    ),
    processes: Type.Record(Type.String({ pattern: '^[A-Za-z0-9_][A-Za-z0-9_-]*$' }), StackProcessSchema, {
      minProperties: 1,
      description: 'process name (letters, digits, _ and -) -> process',
    }),
  },
  { additionalProperties: false },
);

export type StackFile = Static<typeof StackFileSchema>;
export type StackProcessConfig = Static<typeof StackProcessSchema>;

/** The JSON Schema document `runledger schema stack` prints. */
export function stackJsonSchema(): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(StackFileSchema)) as Record<string, unknown>;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://runledger.dev/schema/stack.json',
    title: 'runledger stack file (runledger.yaml)',
    ...plain,
  };
}
