/**
 * The API reference: an OpenAPI 3.1 document built by @fastify/swagger from the routes' schemas (requests:
 * server/schemas.ts; responses: server/schemas/), served at `GET /api/openapi.json`, and Swagger UI at `/api/docs`.
 * Both are public: they describe the API, not its data, and the routes they list still need a token.
 *
 * Register before the routes: @fastify/swagger collects them as they are added.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { API_TOKEN_SCOPES, API_TOKEN_SCOPE_DESCRIPTIONS } from '../../protocol/api-tokens.js';
import { projectRoot } from '../paths.js';
import { TAGS, doc, operationId } from '../schemas/responses.js';

const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };

const DESCRIPTION = `The REST API of a Switchboard hub: what the agent panel uses, for integrations (a CRM, scripts).

**Authentication.** Every route needs \`Authorization: Bearer <token>\` with an agent token from \`POST /api/auth/login\`,
except sign-in, \`GET /health\` and this document, the widget's upload (its session token) and a file's signed URL. A token acts with its agent's role (\`admin\` or \`agent\`) and
sees only the conversations that agent may see (a hidden one answers 404).

One route answers the widget instead: \`GET /api/widget/unread\` takes the visitor's session token (security scheme
\`visitorToken\`), and refuses agent and API tokens.

**API tokens** (for server-to-server use) are made by an admin in the panel (_Admin → API tokens_) or with
\`POST /api/tokens\`, and sent the same way: \`Authorization: Bearer sbt_…\`. A token acts as the admin who created it,
narrowed to its scopes; each operation says which scope it needs (security scheme \`apiToken\`), and those listed
with \`bearerAuth\` only are not callable with a token. A token without the scope gets 403 \`insufficient_scope\`; a
revoked or expired token, or one whose creator is no longer an enabled admin, gets 401. Scopes:

${API_TOKEN_SCOPES.map((scope) => `- \`${scope}\`: ${API_TOKEN_SCOPE_DESCRIPTIONS[scope]}`).join('\n')}

**Errors** answer \`{ code, message, field? }\` with the matching status: 400 \`bad_request\` (\`field\` names the body
field at fault when there is one), 401 \`unauthorized\`, 403 \`forbidden\` / \`insufficient_scope\`, 404 \`not_found\`, 409 \`already_claimed\` /
\`closed\` / \`conflict\` / \`feature_disabled\`, 413 \`too_large\` / \`file_too_large\`, 415 \`file_type_not_allowed\`, 429 \`rate_limited\`, 500 \`internal\`, 502 \`provider_unavailable\`.

**Real time.** Messages are sent and live updates received over Socket.IO (namespaces \`/visitor\` and \`/agent\`), which
OpenAPI can't describe: the events and their payloads are typed in \`protocol/events.ts\` (and \`protocol/team.ts\` for
team chat) in the hub's source, and listed in its README ("REST and socket protocol").`;

/** A schema with a title, listed once under `components.schemas` and referenced from the operations. */
type Schema = Record<string, unknown> & { title?: unknown };

/**
 * Moves every titled schema of the operations to `components.schemas` (the title names it) and leaves a `$ref`:
 * the shared types (ConversationSummary, Message…) are described once. Two different schemas with one title are a
 * mistake in server/schemas/ and throw.
 */
export function hoistTitledSchemas(document: Record<string, unknown>): Record<string, unknown> {
  const components = (document.components ?? {}) as Record<string, unknown>;
  const schemas = (components.schemas ?? {}) as Record<string, Schema>;
  components.schemas = schemas;
  document.components = components;
  const seen = new Map<string, string>();
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const copy: Schema = {};
    for (const [key, value] of Object.entries(node)) copy[key] = key === 'example' || key === 'enum' || key === 'const' ? value : visit(value);
    const choices = stringChoices(copy.anyOf);
    if (choices) {
      delete copy.anyOf;
      Object.assign(copy, { type: 'string', enum: choices });
    }
    if (typeof copy.title !== 'string' || !('type' in copy)) return copy;
    const name = copy.title;
    const text = JSON.stringify(copy);
    const previous = seen.get(name);
    if (previous !== undefined && previous !== text) throw new Error(`Two different response schemas are titled ${name}`);
    seen.set(name, text);
    schemas[name] = copy;
    return { $ref: `#/components/schemas/${encodeURIComponent(name)}` };
  };
  document.paths = visit(document.paths);
  return document;
}

/**
 * The values of an `anyOf` of single string values (a TypeBox union of literals, as the request schemas write their
 * enums), or null: the document shows them as one string enum, which Swagger UI renders as a choice.
 */
function stringChoices(anyOf: unknown): string[] | null {
  if (!Array.isArray(anyOf) || anyOf.length === 0) return null;
  const values: string[] = [];
  for (const member of anyOf as Schema[]) {
    const value = Array.isArray(member.enum) && member.enum.length === 1 ? member.enum[0] : member.const;
    if (member.type !== 'string' || typeof value !== 'string' || Object.keys(member).some((key) => !['type', 'enum', 'const'].includes(key))) return null;
    values.push(value);
  }
  return values;
}

export const openapi = fp(
  async (app) => {
    // Each route's operationId is derived from its row in schemas/responses.ts: a row spread into the wrong route fails here.
    app.addHook('onRoute', (route) => {
      const given = (route.schema as { operationId?: string } | undefined)?.operationId;
      if (!given || route.method === 'HEAD') return;
      for (const method of [route.method].flat()) {
        if (given !== operationId(method, route.url)) throw new Error(`${method} ${route.url} carries the documentation of ${given}`);
      }
    });

    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Switchboard hub API', version, description: DESCRIPTION, license: { name: 'MIT', identifier: 'MIT' } },
        tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', description: 'An agent token: the `token` of `POST /api/auth/login`.' },
            apiToken: {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'sbt_…',
              description:
                'An API token (`sbt_…`, from `POST /api/tokens`): acts as the admin who created it, on the operations its scopes open ' +
                `(the operation's security lists the scope: ${API_TOKEN_SCOPES.map((scope) => `\`${scope}\``).join(', ')}).`,
            },
            visitorToken: {
              type: 'http',
              scheme: 'bearer',
              description: "A widget's visitor token: the `token` of the `session` event on the `/visitor` socket (the widget keeps it in IndexedDB).",
            },
          },
        },
        security: [{ bearerAuth: [] }],
      },
      // The REST API only: the pages, scripts, /metrics and /ready are not part of it.
      transform: ({ schema, url }) => ({ schema: url.startsWith('/api/') || url === '/health' ? schema : { ...schema, hide: true }, url }),
      transformObject: (documentObject) =>
        hoistTitledSchemas(('openapiObject' in documentObject ? documentObject.openapiObject : {}) as Record<string, unknown>),
    });

    await app.register(swaggerUi, {
      routePrefix: '/api/docs',
      // Served under the hub's own Content-Security-Policy (plugins/http-basics.ts): scripts and styles from 'self'.
      staticCSP: false,
      theme: { title: 'Switchboard API reference' },
      uiConfig: { layout: 'BaseLayout', deepLinking: true, docExpansion: 'list', defaultModelsExpandDepth: 0 },
    });

    app
      .withTypeProvider<TypeBoxTypeProvider>()
      .get('/api/openapi.json', { schema: doc('GET /api/openapi.json') }, async () => app.swagger() as unknown as Record<string, unknown>);
  },
  { name: 'switchboard-openapi' },
);
