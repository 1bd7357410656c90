import type { SupportRequest } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import { NO_FILTERS, filterChoices, filtersKey, listQuery, newReplyKey, replaceRequest } from '../src/state/requests.js';
import { allowedRoute, formatRoute, parseRoute, REQUESTS_ROUTE } from '../src/state/route.js';

const request = (over: Partial<SupportRequest>): SupportRequest => ({
  id: 'r1',
  publicId: 'LK-1234-ABC',
  channelId: 'c1',
  channelName: 'Shop',
  category: 'Sales',
  priority: 'normal',
  status: 'open',
  name: 'Robin',
  email: 'robin@example.com',
  phone: '',
  company: '',
  question: 'Hello?',
  chatId: null,
  title: '',
  createdAt: 1,
  updatedAt: 1,
  ...over,
});

describe('the requests route', () => {
  it('is a deep link for every agent, not only administrators', () => {
    expect(parseRoute('/console/requests')).toEqual(REQUESTS_ROUTE);
    expect(parseRoute('/console/requests/r%201')).toEqual({ view: 'requests', requestId: 'r 1' });
    expect(parseRoute(formatRoute({ view: 'requests', requestId: 'a/b' }))).toEqual({ view: 'requests', requestId: 'a/b' });
    expect(allowedRoute({ view: 'requests', requestId: 'r1' }, 'agent')).toEqual({ view: 'requests', requestId: 'r1' });
  });
});

describe('request filters', () => {
  it('sends only the filters that are set', () => {
    expect(listQuery(NO_FILTERS)).toEqual({});
    expect(listQuery({ ...NO_FILTERS, status: 'pending', category: 'Sales' })).toEqual({ status: 'pending', category: 'Sales' });
    expect(filtersKey({ ...NO_FILTERS, priority: 'urgent' })).not.toBe(filtersKey(NO_FILTERS));
  });

  it('offers the channels and categories the agent can see, sorted and once each', () => {
    const choices = filterChoices([
      request({ id: 'a', channelId: 'c2', channelName: 'Webshop', category: 'Returns' }),
      request({ id: 'b', channelId: 'c1', channelName: 'Bikes', category: 'Sales' }),
      request({ id: 'c', channelId: 'c2', channelName: 'Webshop', category: '' }),
    ]);
    expect(choices).toEqual({ channels: [{ id: 'c1', name: 'Bikes' }, { id: 'c2', name: 'Webshop' }], categories: ['Returns', 'Sales'] });
  });

  it('updates a changed request in the list, or drops it when it no longer fits the status filter', () => {
    const list = [request({ id: 'a' }), request({ id: 'b' })];
    const closed = request({ id: 'a', status: 'closed' });
    expect(replaceRequest(list, closed, NO_FILTERS).map((r) => r.status)).toEqual(['closed', 'open']);
    expect(replaceRequest(list, closed, { ...NO_FILTERS, status: 'open' }).map((r) => r.id)).toEqual(['b']);
  });

  it('makes reply keys the server accepts, different each time', () => {
    const key = newReplyKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(newReplyKey()).not.toBe(key);
  });
});
