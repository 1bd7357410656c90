import { DEFAULT_FILE_SETTINGS, headerTextColorFor, safeColor, type AdminChannel, type Availability, type WidgetConfig } from '@loket/protocol';

/**
 * The chat window's config for the live preview, from the channel with its unsaved edits: what a visitor's
 * widget would get once everything is saved (always "available", so every view can be shown). `hours` is what the
 * server computed for the draft's opening hours (POST …/availability-preview): the offline view then shows them.
 */
export function previewConfig(draft: AdminChannel, hours: Availability | null = null): WidgetConfig {
  const color = safeColor(draft.layout.color);
  const { faqFolderId: _folder, ...prechat } = draft.prechat;
  const { category: _category, priority: _priority, ...offline } = draft.offline;
  const { transcriptTemplateId: _template, ...postchat } = draft.postchat;
  return {
    key: draft.key,
    name: draft.name,
    language: draft.language,
    badgeText: draft.badgeText,
    headerText: draft.headerText,
    welcomeMessage: draft.welcomeMessage,
    queueMessage: draft.queueMessage,
    color,
    headerTextColor: headerTextColorFor(color, draft.layout.headerTextColor),
    theme: draft.layout.theme,
    font: draft.layout.font,
    logoUrl: draft.layout.logoUrl,
    showAgentPhoto: draft.layout.showAgentPhoto,
    prechat,
    offline,
    postchat,
    availability: hours ? { ...hours, available: true, reason: null } : { available: true, reason: null, hasHours: false, nextOpenAt: null, upcoming: [] },
    // The preview sends nothing: no attach button.
    files: { allowedTypes: [], maxBytes: DEFAULT_FILE_SETTINGS.maxBytes },
  };
}

/** The channel with a section's unsaved edits merged in. The logo is never a draft: it is saved on upload. */
export function mergeDraft(channel: AdminChannel, patch: Partial<AdminChannel>): AdminChannel {
  return { ...channel, ...patch, layout: { ...(patch.layout ?? channel.layout), logoUrl: channel.layout.logoUrl } };
}
