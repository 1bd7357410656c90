import { AdminChannelSchema, ErrorBodySchema, WidgetConfigSchema, type OpeningHours } from '@loket/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelsTable } from '../../src/db/schema.js';
import { callAs, makeAgent, makeChannel, SHOP_ORIGIN, type TestAgent } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';

const lunchBreak = [
  { from: '09:00', to: '12:00' },
  { from: '13:00', to: '17:00' },
];
const officeHours: OpeningHours = {
  enabled: true,
  timeZone: 'Europe/Amsterdam',
  week: { mon: lunchBreak, tue: lunchBreak, wed: lunchBreak, thu: lunchBreak, fri: lunchBreak, sat: [], sun: [] },
  exceptions: [],
};

// Wednesday 25 November 2026; Amsterdam is UTC+1.
const WEDNESDAY_10 = Date.UTC(2026, 10, 25, 9, 0);
const WEDNESDAY_1230 = Date.UTC(2026, 10, 25, 11, 30);
const FRIDAY_18 = Date.UTC(2026, 10, 27, 17, 0);

describe.each(DIALECTS)('channel availability on %s', (dialect) => {
  let t: TestLoket;
  let admin: TestAgent;
  let clock = WEDNESDAY_10;
  beforeAll(async () => {
    t = await startTestLoket(dialect, {}, { now: () => clock });
    admin = await makeAgent(t, [], { role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
  });
  // Sessions expire on the same clock: every test signs in and saves on Wednesday morning, then moves on.
  beforeEach(() => {
    clock = WEDNESDAY_10;
  });

  const call = (method: string, path: string, who: TestAgent | null, body?: unknown) => callAs(t, method, path, who, body);
  const setHours = async (channel: ChannelsTable, hours: OpeningHours) => {
    const res = await call('PUT', `/api/admin/channels/${channel.id}/opening-hours`, admin, hours);
    expect(res.status).toBe(200);
    return AdminChannelSchema.parse(res.body);
  };
  const availability = async (channel: ChannelsTable) => {
    const res = await fetch(`${t.url}/api/widget/channels/${channel.key}`, { headers: { origin: SHOP_ORIGIN } });
    expect(res.status).toBe(200);
    return WidgetConfigSchema.parse(await res.json()).availability;
  };

  it('is available within the hours while an agent who can respond is present', async () => {
    const channel = await makeChannel(t);
    await makeAgent(t, [channel]);
    expect(await availability(channel)).toEqual({ available: true, reason: null, hasHours: false, nextOpenAt: null, upcoming: [] });
    const saved = await setHours(channel, officeHours);
    expect(saved.openingHours).toEqual(officeHours);
    clock = WEDNESDAY_10;
    const open = await availability(channel);
    expect(open).toMatchObject({ available: true, reason: null, hasHours: true, nextOpenAt: null });
    // Two openings a day from Wednesday to Tuesday, then next Wednesday's morning, which has begun 7 days from now.
    expect(open.upcoming[0]).toEqual({ start: Date.UTC(2026, 10, 25, 8), end: Date.UTC(2026, 10, 25, 11) });
    expect(open.upcoming).toHaveLength(11);
    expect(open.upcoming[10]).toEqual({ start: Date.UTC(2026, 11, 2, 8), end: Date.UTC(2026, 11, 2, 11) });
  });

  it('is closed outside the hours even with a present agent, and says when it opens', async () => {
    const channel = await makeChannel(t);
    await makeAgent(t, [channel]);
    await setHours(channel, officeHours);
    clock = WEDNESDAY_1230;
    expect(await availability(channel)).toMatchObject({ available: false, reason: 'closed', hasHours: true, nextOpenAt: Date.UTC(2026, 10, 25, 12) });
    const asAdmin = await call('GET', `/api/admin/channels/${channel.id}/availability`, admin);
    expect(asAdmin.body).toEqual(await availability(channel));
    clock = FRIDAY_18;
    expect(await availability(channel)).toMatchObject({ available: false, reason: 'closed', nextOpenAt: Date.UTC(2026, 10, 30, 8) });
  });

  it('has no agents when nobody who can respond is present; closed wins when both', async () => {
    const channel = await makeChannel(t);
    await makeAgent(t, [channel], { permissions: { canRespond: false } });
    expect(await availability(channel)).toMatchObject({ available: false, reason: 'no_agents', hasHours: false });
    await setHours(channel, officeHours);
    clock = WEDNESDAY_10;
    expect(await availability(channel)).toMatchObject({ available: false, reason: 'no_agents', hasHours: true, nextOpenAt: null });
    clock = FRIDAY_18;
    expect(await availability(channel)).toMatchObject({ available: false, reason: 'closed' });
  });

  it('previews the availability of unsaved hours without storing them', async () => {
    const channel = await makeChannel(t);
    await makeAgent(t, [channel]);
    clock = WEDNESDAY_1230;
    const preview = await call('POST', `/api/admin/channels/${channel.id}/availability-preview`, admin, officeHours);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ available: false, reason: 'closed', hasHours: true, nextOpenAt: Date.UTC(2026, 10, 25, 12) });
    expect(await availability(channel)).toMatchObject({ available: true, hasHours: false });
    const overlap = { ...officeHours, week: { ...officeHours.week, fri: [{ from: '09:00', to: '12:00' }, { from: '10:00', to: '11:00' }] } };
    const refused = await call('POST', `/api/admin/channels/${channel.id}/availability-preview`, admin, overlap);
    expect([refused.status, ErrorBodySchema.parse(refused.body).error.field]).toEqual([422, 'week.fri.1.from']);
  });

  it('the admin route is for administrators only, checks CSRF and refuses wrong hours at the field', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const path = `/api/admin/channels/${channel.id}/opening-hours`;
    expect((await call('PUT', path, null, officeHours)).status).toBe(401);
    const plain = await call('PUT', path, agent, officeHours);
    expect([plain.status, ErrorBodySchema.parse(plain.body).error.code]).toEqual([403, 'forbidden']);
    const noCsrf = await fetch(`${t.url}${path}`, { method: 'PUT', headers: { cookie: admin.cookie, 'content-type': 'application/json' }, body: JSON.stringify(officeHours) });
    expect([noCsrf.status, ErrorBodySchema.parse(await noCsrf.json()).error.code]).toEqual([403, 'csrf_failed']);

    const refused = async (hours: unknown) => {
      const res = await call('PUT', path, admin, hours);
      const error = ErrorBodySchema.parse(res.body).error;
      return [res.status, error.code, error.field];
    };
    const overlap = { ...officeHours, week: { ...officeHours.week, tue: [{ from: '09:00', to: '12:00' }, { from: '11:00', to: '13:00' }] } };
    expect(await refused(overlap)).toEqual([422, 'validation_failed', 'week.tue.1.from']);
    expect(await refused({ ...officeHours, timeZone: 'Europe/Atlantis' })).toEqual([422, 'validation_failed', 'timeZone']);
    const holidays = { ...officeHours, exceptions: [{ date: '2026-12-25', intervals: [], note: '' }, { date: '2026-13-01', intervals: [], note: '' }] };
    expect(await refused(holidays)).toEqual([422, 'validation_failed', 'exceptions.1.date']);
    expect(await refused({ ...officeHours, week: { ...officeHours.week, mon: [{ from: '9:00', to: '17:00' }] } })).toEqual([422, 'validation_failed', 'week.mon.0.from']);
    expect((await call('PUT', '/api/admin/channels/nope/opening-hours', admin, officeHours)).status).toBe(404);

    const list = await call('GET', '/api/admin/channels', admin);
    const stored = (list.body as { channels: Array<{ id: string; openingHours: OpeningHours }> }).channels.find((c) => c.id === channel.id);
    expect(stored?.openingHours.enabled).toBe(false);
    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(doc.paths['/api/admin/channels/{id}/opening-hours']).toBeDefined();
    expect(doc.paths['/api/admin/channels/{id}/availability']).toBeDefined();
    expect(doc.paths['/api/admin/channels/{id}/availability-preview']).toBeDefined();
    expect((await call('GET', `/api/admin/channels/${channel.id}/availability`, agent)).status).toBe(403);
    expect((await call('POST', `/api/admin/channels/${channel.id}/availability-preview`, agent, officeHours)).status).toBe(403);
  });
});
