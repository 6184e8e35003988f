/**
 * Fastify's response serialiser (fast-json-stringify, as by default), compiled once per schema object instead of
 * once per route and status: most routes answer one of a few shared schemas (a ConversationSummary, the error body),
 * and compiling each again made every hub start ~150 ms slower. The serialiser writes only the properties a schema
 * names — see schemas/common.ts.
 */
import type { FastifySerializerCompiler } from 'fastify';
import build from 'fast-json-stringify';

export function cachedSerializerCompiler(): FastifySerializerCompiler<unknown> {
  const compiled = new WeakMap<object, (data: unknown) => string>();
  return ({ schema }) => {
    const key = schema as object;
    let serialize = compiled.get(key);
    if (!serialize) {
      serialize = build(schema as Parameters<typeof build>[0]) as (data: unknown) => string;
      compiled.set(key, serialize);
    }
    return serialize;
  };
}
