/** A database handle that records every statement sent through it, as compiled (text and parameters). */
import type { CompiledQuery, Kysely, KyselyPlugin } from 'kysely';
import type { Database } from '../../server/store/schema.js';

export function recording(db: Kysely<Database>): { recorded: Kysely<Database>; sent: string[]; compiled: CompiledQuery[] } {
  const sent: string[] = [];
  const compiled: CompiledQuery[] = [];
  const executor = db.getExecutor();
  const recorder: KyselyPlugin = {
    transformQuery: (args) => {
      const query = executor.compileQuery(args.node, args.queryId);
      sent.push(query.sql);
      compiled.push(query);
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { recorded: db.withPlugin(recorder), sent, compiled };
}
