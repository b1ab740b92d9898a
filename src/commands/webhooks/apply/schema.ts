// The JSON Schema of the apply file, for editors (a `$schema` key in the file points at it). Made
// from the same constants as the checks of file.ts; the build writes it to
// dist/anchor-webhooks.schema.json, and a test holds the two to the same verdicts.
import { EVENT_CATALOG } from '../../../core/events.js';
import { DESCRIPTION_MAX_LENGTH, URL_MAX_LENGTH } from '../../../core/url-rules.js';
import { MAX_WEBHOOKS_PER_PROJECT as WEBHOOK_LIMIT } from '../../../core/limits.js';
import { MAX_ID_LENGTH } from '../../../lib/safe-name.js';

export const SCHEMA_FILE = 'anchor-webhooks.schema.json';

export function applyFileSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'anchor webhooks apply file',
    description:
      'The webhooks an Anchor Browser project must have. `anchor webhooks apply -f <file>` makes the project match it; `anchor webhooks export` writes one.',
    type: 'object',
    additionalProperties: false,
    required: ['webhooks'],
    properties: {
      $schema: { type: 'string', description: 'The path or URL of this schema, for editors.' },
      webhooks: {
        type: 'array',
        maxItems: WEBHOOK_LIMIT,
        description: `At most ${WEBHOOK_LIMIT} per project. An entry with an \`id\` is that webhook; the others are matched by URL, so each URL appears once among them.`,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['url', 'events'],
          properties: {
            id: {
              type: 'string',
              minLength: 1,
              maxLength: MAX_ID_LENGTH,
              pattern: '^[A-Za-z0-9_][A-Za-z0-9_-]*$',
              description:
                'The webhook this entry is (`anchor webhooks export` writes it). With an id, a changed URL is an update of the same webhook, keeping its secret; the id must exist in the project. Without one, the entry is matched by URL.',
            },
            url: {
              type: 'string',
              maxLength: URL_MAX_LENGTH,
              pattern: '^[Hh][Tt][Tt][Pp][Ss]?://',
              description:
                'The https:// endpoint Anchor POSTs events to (http:// and local URLs only with --allow-local-targets).',
            },
            events: {
              type: 'array',
              minItems: 1,
              description: 'The event types to subscribe to.',
              items: {
                enum: EVENT_CATALOG.map((e) => e.type),
                description: 'An Anchor event type (`anchor events list`).',
              },
            },
            description: {
              type: ['string', 'null'],
              maxLength: DESCRIPTION_MAX_LENGTH,
              description: 'What the webhook is for; null or absent for none.',
            },
            enabled: {
              type: 'boolean',
              default: true,
              description: 'false: no new events fan out to it.',
            },
          },
        },
      },
    },
  };
}
