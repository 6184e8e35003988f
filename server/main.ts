/**
 * Entry point: the only file that reads the environment and listens.
 * `npm start` runs it with DEMO_DATA=1 after building the widget and the panel.
 */
import './v8-tuning.js'; // first: before any of the hub's modules allocate
import { buildHub } from './app.js';
import { loadConfig } from './config.js';
import { DEMO_LOGINS, seedDemoData } from './demo-data.js';

const config = loadConfig(process.env);
if (config.demoData && !config.adminEmail) {
  config.adminEmail = DEMO_LOGINS.admin.email;
  config.adminPassword = DEMO_LOGINS.admin.password;
}

const hub = await buildHub(config);
if (config.demoData) await seedDemoData(hub.store, config.passwordHashCost);
const url = await hub.listen();

// Test helpers wait for this exact line.
console.log(`Hub listening on ${url}`);
// AI assist: where summaries, suggestions and transcriptions go (the key is never logged).
hub.app.log.info(
  config.aiBaseUrl ? { provider: new URL(config.aiBaseUrl).origin, model: config.aiModel, transcribeModel: config.aiTranscribeModel } : { provider: null },
  config.aiBaseUrl ? 'AI assist: OpenAI-compatible provider configured' : 'AI assist: built-in suggestions and summaries (no AI_BASE_URL)',
);
if (config.demoData) {
  console.log(`
  Demo shop (visitor widget): ${url}/demo/shop.html
  Demo CRM (agent panel):     ${url}/demo/crm.html
  Admin login:  ${config.adminEmail} / ${config.adminPassword}
  Agent login:  ${DEMO_LOGINS.agent.email} / ${DEMO_LOGINS.agent.password}
`);
}

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  hub.app.log.info({ signal }, 'shutting down');
  // Stop accepting, let in-flight requests finish, close sockets, then the database.
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await hub.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
