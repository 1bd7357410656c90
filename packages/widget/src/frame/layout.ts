import { headerTextColorFor, safeColor, type WidgetConfig } from '@loket/protocol';

/**
 * Puts the channel's layout on the page: theme and font as attributes (styles.css maps them to colours and
 * system font stacks), colours as custom properties. Colours pass safeColor, so no setting can inject CSS.
 */
export function applyLayout(config: WidgetConfig): void {
  const root = document.documentElement;
  const color = safeColor(config.color);
  root.lang = config.language;
  root.dataset.theme = config.theme;
  root.dataset.font = config.font;
  root.style.setProperty('--brand', color);
  // The server already checked it; checked again because the preview's config comes from a message.
  root.style.setProperty('--on-brand', headerTextColorFor(color, config.headerTextColor));
  document.title = config.headerText || config.name;
}
