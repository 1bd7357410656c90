import type { WidgetConfig } from '@loket/protocol';

/** The part of WidgetConfig the launcher needs. */
export type LauncherConfig = Pick<WidgetConfig, 'badgeText' | 'headerText' | 'color' | 'headerTextColor'>;

/**
 * Fetches the channel's public config. Validated by hand rather than with WidgetConfigSchema
 * because zod would multiply the loader's size; the frame validates the full config itself.
 * CORS: the server answers only origins the channel allows, so a refusal surfaces as a rejection here.
 */
export async function fetchLauncherConfig(origin: string, channel: string): Promise<LauncherConfig> {
  const res = await fetch(`${origin}/api/widget/channels/${encodeURIComponent(channel)}`, { credentials: 'omit' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body: unknown = await res.json();
  const c = body as Partial<Record<keyof LauncherConfig, unknown>>;
  if (typeof body !== 'object' || body === null || typeof c.badgeText !== 'string' || typeof c.headerText !== 'string' || typeof c.color !== 'string') {
    throw new Error('invalid channel config');
  }
  // An older server has no headerTextColor: 'auto' picks black or white.
  const headerTextColor = typeof c.headerTextColor === 'string' ? c.headerTextColor : 'auto';
  return { badgeText: c.badgeText, headerText: c.headerText, color: c.color, headerTextColor };
}
