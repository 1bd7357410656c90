/** WCAG 2.x contrast, shared by the server (validation), the console (live feedback) and the widget (rendering). */

/** AA for normal text. */
export const MIN_TEXT_CONTRAST = 4.5;

/** Used when a colour is not #rgb/#rrggbb: keeps arbitrary CSS out of style attributes. */
export const DEFAULT_COLOR = '#1f5fbf';

/** The colour if it is #rgb or #rrggbb (lower-cased), else the default. */
export function safeColor(input: string): string {
  return /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(input.trim()) ? input.trim().toLowerCase() : DEFAULT_COLOR;
}

/** WCAG relative luminance of a #rgb/#rrggbb colour. */
export function luminance(hex: string): number {
  let h = safeColor(hex).slice(1);
  if (h.length === 3) h = h.replace(/./g, (c) => c + c);
  const channel = (i: number): number => {
    const v = parseInt(h.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

export function contrastRatio(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Black or white, whichever reads best on `background`: one of them always reaches 4.5:1. */
export function readableTextColor(background: string): string {
  return contrastRatio(background, '#ffffff') >= contrastRatio(background, '#000000') ? '#ffffff' : '#000000';
}

/** The header text colour the widget uses: the chosen one when it reaches AA on `background`, else readable. */
export function headerTextColorFor(background: string, chosen: string): string {
  if (chosen !== 'auto' && /^#[0-9a-f]{6}$/i.test(chosen) && contrastRatio(background, chosen) >= MIN_TEXT_CONTRAST) {
    return chosen.toLowerCase();
  }
  return readableTextColor(background);
}
