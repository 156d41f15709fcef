/**
 * runledger.config.json, as a TypeBox schema: templates (run specs with
 * `{{var}}` placeholders and default `vars`) and batches (lists of templates
 * started together under one batch id).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Owner as OwnerScope } from '../../events/schemas.js';

const Str = Type.String();
const StrRecord = Type.Record(Type.String(), Type.String());
/** A duration: seconds (a bare number, as on the command line), or text like "30s" (checked again when the spec is normalized). */
const Duration = Type.Union([Type.Number({ minimum: 0 }), Type.String()], {
  description: 'a duration (30s, 5m, 1h, 500ms) or a number of seconds',
});
/** Numbers may come from a binding ("{{port}}"), so a string is accepted and converted after binding. */
const IntLike = Type.Union([Type.Integer({ minimum: 0 }), Type.String()], { description: 'a whole number (or a "{{var}}" string)' });
const Policy = Type.Union([Type.Literal('never'), Type.Literal('on-failure'), Type.Literal('always')], {
  description: 'never, on-failure or always',
});

// The owner scope keys are the event catalogue's own: one definition.
const Owner = OwnerScope;

export const TemplateSchema = Type.Object(
  {
    command: Type.String({ minLength: 1 }),
    args: Type.Optional(Type.Array(Str)),
    shell: Type.Optional(Type.Boolean()),
    cwd: Type.Optional(Str),
    env: Type.Optional(StrRecord),
    secretEnvKeys: Type.Optional(Type.Array(Str)),
    envFile: Type.Optional(Str),
    name: Type.Optional(Str),
    labels: Type.Optional(StrRecord),
    owner: Type.Optional(Owner),
    slot: Type.Optional(Str),
    key: Type.Optional(Str),
    timeout: Type.Optional(Duration),
    ready: Type.Optional(
      Type.Object(
        {
          line: Type.Optional(Str),
          port: Type.Optional(IntLike),
          host: Type.Optional(Str),
          socket: Type.Optional(Str),
          timeout: Type.Optional(Duration),
        },
        { additionalProperties: false },
      ),
    ),
    stopSignal: Type.Optional(Str),
    grace: Type.Optional(Duration),
    restart: Type.Optional(
      Type.Union(
        [
          Policy,
          Type.Object(
            {
              policy: Policy,
              maxRestarts: Type.Optional(IntLike),
              backoff: Type.Optional(Duration),
              maxBackoff: Type.Optional(Duration),
              minUptime: Type.Optional(Duration),
            },
            { additionalProperties: false },
          ),
        ],
        { description: 'never, on-failure, always, or { policy, maxRestarts, backoff, maxBackoff, minUptime }' },
      ),
    ),
    logs: Type.Optional(
      Type.Object({ maxBytes: Type.Optional(Type.Integer()), keep: Type.Optional(Type.Integer()) }, { additionalProperties: false }),
    ),
    runtime: Type.Optional(Type.Union([Type.Literal('background'), Type.Literal('tmux')], { description: 'background or tmux' })),
    keepLeftovers: Type.Optional(Type.Boolean({ description: 'true: leave what the main process started running when it exits' })),
    health: Type.Optional(
      Type.Object(
        {
          http: Type.Optional(Type.Object({ url: Str }, { additionalProperties: false })),
          tcp: Type.Optional(Type.Object({ port: IntLike, host: Type.Optional(Str) }, { additionalProperties: false })),
          exec: Type.Optional(Type.Object({ command: Str, args: Type.Optional(Type.Array(Str)) }, { additionalProperties: false })),
          interval: Type.Optional(Duration),
          timeout: Type.Optional(Duration),
          failureThreshold: Type.Optional(IntLike),
          startPeriod: Type.Optional(Duration),
        },
        { additionalProperties: false, description: 'a health probe: one of http { url }, tcp { port, host }, exec { command, args }' },
      ),
    ),
    /** Default values for `{{var}}` placeholders; --bind overrides them. */
    vars: Type.Optional(StrRecord),
  },
  { additionalProperties: false },
);

const BatchItem = Type.Union([Str, Type.Object({ template: Str, bind: Type.Optional(StrRecord) }, { additionalProperties: false })], {
  description: 'a template name or { "template": NAME, "bind": { ... } }',
});

export const ConfigSchema = Type.Object(
  {
    $schema: Type.Optional(Str),
    templates: Type.Optional(Type.Record(Type.String(), TemplateSchema)),
    batches: Type.Optional(Type.Record(Type.String(), Type.Array(BatchItem, { minItems: 1 }))),
    /** Read by the daemon from the home's runledger.config.json (src/daemon/retention.ts); accepted in any config. */
    retention: Type.Optional(
      Type.Object(
        { logs: Type.Optional(Type.String({ description: 'a duration (30d, 12h) or "never"' })) },
        { additionalProperties: false },
      ),
    ),
    /** Read by the daemon from the home's runledger.config.json (src/daemon/start-run.ts), like `retention`. */
    fleet: Type.Optional(
      Type.Object(
        {
          slots: Type.Optional(
            Type.Array(Type.String({ pattern: '\\S', description: 'a slot name or pattern (a non-empty string)' }), {
              description: 'a list of slot names or patterns ("gpu0", "phone-*")',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type TemplateConfig = Static<typeof TemplateSchema>;
export type BatchItemConfig = Static<typeof BatchItem>;
export type RunledgerConfig = Static<typeof ConfigSchema>;
