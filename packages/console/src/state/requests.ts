import { REQUEST_PRIORITIES, REQUEST_STATUSES, type RequestListQuery, type RequestPriority, type RequestStatus, type SupportRequest } from '@loket/protocol';
import { randomId } from '../ids.js';

/** Pure helpers of the Requests view (ui/Requests.tsx). */

export const STATUS_OPTIONS: readonly RequestStatus[] = REQUEST_STATUSES;
export const PRIORITY_OPTIONS: readonly RequestPriority[] = REQUEST_PRIORITIES;

export interface RequestFilters {
  status: RequestStatus | '';
  channelId: string;
  category: string;
  priority: RequestPriority | '';
}

export const NO_FILTERS: RequestFilters = { status: '', channelId: '', category: '', priority: '' };

/** Only the filters that are set go to the server. */
export function listQuery(f: RequestFilters): RequestListQuery {
  const q: RequestListQuery = {};
  if (f.status !== '') q.status = f.status;
  if (f.channelId !== '') q.channelId = f.channelId;
  if (f.category !== '') q.category = f.category;
  if (f.priority !== '') q.priority = f.priority;
  return q;
}

export const filtersKey = (f: RequestFilters): string => JSON.stringify(listQuery(f));

/** The choices of the channel and category filters, from what the agent can see. */
export function filterChoices(requests: readonly SupportRequest[]): { channels: Array<{ id: string; name: string }>; categories: string[] } {
  const channels = new Map<string, string>();
  const categories = new Set<string>();
  for (const r of requests) {
    channels.set(r.channelId, r.channelName);
    if (r.category !== '') categories.add(r.category);
  }
  return {
    channels: [...channels].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    categories: [...categories].sort((a, b) => a.localeCompare(b)),
  };
}

/** After a change in the detail: the list shows it too (or drops it when it no longer matches the status filter). */
export function replaceRequest(list: readonly SupportRequest[], changed: SupportRequest, filters: RequestFilters): SupportRequest[] {
  const fits = filters.status === '' || filters.status === changed.status;
  return list.flatMap((r) => (r.id !== changed.id ? [r] : fits ? [changed] : []));
}

/** A fresh key per reply being written; kept across retries of the same text so a resend sends nothing twice. */
export const newReplyKey = (): string => randomId(18);
