import MarkdownIt from 'markdown-it';

/**
 * FAQ answers are written by administrators but read by anyone on the public pages and in the console preview, so the
 * renderer must never emit markup the author did not get from Markdown itself: raw HTML is shown as text and only
 * http(s), mailto and relative links survive. The console preview and the public page share this one function, so
 * what an administrator sees is exactly what the public gets.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const SAFE_SCHEME = /^(https?:|mailto:)/i;
// Anything that starts like "word:" is a scheme; a colon later (e.g. in "/a?x=b:c") is fine.
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Only http(s), mailto and relative URLs; everything else (javascript:, data:, vbscript:, file:) is refused. */
function allowedUrl(url: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"), so judge what they would see.
  // eslint-disable-next-line no-control-regex
  const compact = url.replace(/[\u0000-\u0020\u007f]/g, '');
  if (SAFE_SCHEME.test(compact)) return true;
  if (compact.startsWith('//')) return true; // protocol-relative: stays on http(s)
  return !HAS_SCHEME.test(compact);
}

md.validateLink = allowedUrl;

/** Pages elsewhere open in a new tab, without giving them a handle on ours. */
function isExternal(href: string): boolean {
  return /^(https?:)?\/\//i.test(href);
}

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token !== undefined && isExternal(token.attrGet('href') ?? '')) {
    token.attrSet('target', '_blank');
    token.attrSet('rel', 'noopener noreferrer');
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// Images would load third-party URLs on the public pages (tracking) and data: URLs are refused anyway; an image in an
// answer is shown as a plain link to it instead.
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token === undefined) return '';
  const src = token.attrGet('src') ?? '';
  const alt = self.renderInlineAsText(token.children ?? [], options, env);
  const label = md.utils.escapeHtml(alt === '' ? src : alt);
  if (!allowedUrl(src)) return label;
  const external = isExternal(src) ? ' target="_blank" rel="noopener noreferrer"' : '';
  return `<a href="${md.utils.escapeHtml(src)}"${external}>${label}</a>`;
};

/** Renders an FAQ answer's Markdown to HTML that is safe to insert into a page as is. */
export function renderFaqMarkdown(markdown: string): string {
  return md.render(markdown);
}
