import { WidgetConfigSchema, contrastRatio, type AdminChannel } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import { mergeDraft, previewConfig } from '../src/ui/admin/preview-config.js';

function channel(): AdminChannel {
  return {
    id: 'c1',
    key: 'support',
    name: 'Support',
    language: 'nl',
    postchat: { enabled: true, header: 'Bedankt', message: '', rating: true, transcript: false, transcriptTemplateId: 'tpl1' },
    badgeText: 'Chat',
    headerText: 'Klantenservice',
    welcomeMessage: 'Hallo',
    queueMessage: 'U bent nummer {position}',
    description: 'internal note',
    warnAfterSeconds: 60,
    managerWarnAfterSeconds: null,
    layout: { theme: 'dark', color: '#FFEE00', headerTextColor: '#777777', font: 'serif', showAgentPhoto: false, logoUrl: '/widget/logo/support/abc' },
    prechat: { enabled: true, message: 'Vul in', name: 'required', email: 'optional', phone: 'off', company: 'off', fields: [], faqSuggestions: true, faqFolderId: 'f1' },
    offline: { header: 'Gesloten', message: 'Morgen weer', requests: true, category: 'sales', priority: 'high', name: 'required', phone: 'off', company: 'optional' },
    origins: ['https://shop.example'],
    embedSnippet: '<script></script>',
    openingHours: { enabled: false, timeZone: 'Europe/Amsterdam', week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, exceptions: [] },
  };
}

describe('previewConfig', () => {
  it('gives the chat window exactly the config a visitor would get, without admin-only settings', () => {
    const config = previewConfig(channel());
    expect(WidgetConfigSchema.safeParse(config).success).toBe(true);
    expect(config).toMatchObject({
      key: 'support',
      language: 'nl',
      headerText: 'Klantenservice',
      queueMessage: 'U bent nummer {position}',
      theme: 'dark',
      font: 'serif',
      color: '#ffee00',
      logoUrl: '/widget/logo/support/abc',
      showAgentPhoto: false,
      availability: { available: true, reason: null, hasHours: false, nextOpenAt: null, upcoming: [] },
      prechat: { message: 'Vul in', email: 'optional', faqSuggestions: true, fields: [] },
      offline: { header: 'Gesloten', message: 'Morgen weer', company: 'optional' },
      postchat: { header: 'Bedankt', transcript: false },
    });
    expect(JSON.stringify(config)).not.toMatch(/internal note|tpl1|sales|faqFolderId|origins/);
  });

  it('uses an own header text colour only when it is readable, as the server does', () => {
    const unreadable = previewConfig(channel());
    expect(unreadable.headerTextColor).toBe('#000000');
    const readable = channel();
    readable.layout = { ...readable.layout, headerTextColor: '#222222' };
    expect(previewConfig(readable).headerTextColor).toBe('#222222');
    const dark = channel();
    dark.layout = { ...dark.layout, color: '#102030', headerTextColor: 'auto' };
    const auto = previewConfig(dark);
    expect(auto.headerTextColor).toBe('#ffffff');
    expect(contrastRatio(auto.color, auto.headerTextColor)).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps CSS out: a colour that is not #rgb/#rrggbb becomes the default', () => {
    const bad = channel();
    bad.layout = { ...bad.layout, color: 'red;background:url(x)' };
    expect(previewConfig(bad).color).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('shows the server’s opening hours of the draft in the offline view, yet stays available so every view can be shown', () => {
    const hours = { available: false, reason: 'closed' as const, hasHours: true, nextOpenAt: 1_800_000_000_000, upcoming: [{ start: 1_800_000_000_000, end: 1_800_010_000_000 }] };
    const config = previewConfig(channel(), hours);
    expect(WidgetConfigSchema.safeParse(config).success).toBe(true);
    expect(config.availability).toEqual({ ...hours, available: true, reason: null });
  });
});

describe('mergeDraft', () => {
  it('puts unsaved edits over the saved channel but always keeps the saved logo', () => {
    const saved = channel();
    const draft = mergeDraft(saved, { headerText: 'Nieuw', layout: { ...saved.layout, theme: 'light', logoUrl: null } });
    expect(draft.headerText).toBe('Nieuw');
    expect(draft.layout.theme).toBe('light');
    expect(draft.layout.logoUrl).toBe('/widget/logo/support/abc');
    expect(mergeDraft(saved, {})).toEqual(saved);
  });
});
