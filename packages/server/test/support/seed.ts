import type { Storage } from '../../src/db/database.js';
import type { Ctx } from '../../src/domain/context.js';
import { LocalBus } from '../../src/realtime/bus.js';
import { createFaqSearch } from '../../src/search/service.js';

/** A Ctx over storage opened directly, to seed before any node runs (nothing listens to its bus). */
export function seedCtx(storage: Storage): Ctx {
  return {
    db: storage.db,
    dialect: storage.dialect,
    transact: storage.transact,
    bus: new LocalBus(),
    email: { verify: async (address: string) => ({ ok: true as const, address, domainChecked: false }) },
    now: Date.now,
    mailFrom: { name: 'Loket', address: 'loket@loket.localhost' },
    graceMs: 120_000,
    // Never started: seeding writes FAQs, it does not search them.
    faqSearch: createFaqSearch(storage.db),
  };
}
