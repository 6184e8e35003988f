/**
 * What a fresh database needs: the `demo` site, the first admin (from ADMIN_EMAIL/ADMIN_PASSWORD),
 * and starter FAQs (a greeting and a closing) so the bot says hello out of the box.
 */
import { hashPassword, randomSecret } from './auth.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Store } from './store/store.js';

export async function seedDefaults(store: Store, config: Config, clock: Clock): Promise<void> {
  const now = clock.now().toISOString();
  await store.settings.ensureSite({
    id: 'demo',
    name: 'Demo shop',
    allowed_origins: JSON.stringify(['*']),
    identity_secret: config.demoSiteSecret ?? randomSecret(),
  });
  if (config.adminEmail && config.adminPassword && !(await store.agents.byEmail(config.adminEmail))) {
    try {
      await store.agents.create({
        email: config.adminEmail,
        name: 'Admin',
        role: 'admin',
        password_hash: await hashPassword(config.adminPassword, config.passwordHashCost),
        disabled: 0,
        created_at: now,
      });
    } catch {
      // Another hub process created it at the same moment (unique email).
    }
  }
  const first = await store.settings.init('starter_faqs', now);
  if (first !== now) return;
  await store.content.saveFaq(
    null,
    { type: 'greeting', questions: ['hello', 'hi', 'hey', 'good morning', 'good evening', 'bonjour'], answer: 'Hello! 👋 How can I help you today?' },
    now,
  );
  await store.content.saveFaq(
    null,
    { type: 'closing', questions: ['bye', 'goodbye', 'thanks', 'thank you', 'that is all'], answer: 'You are welcome! Have a nice day.' },
    now,
  );
}
