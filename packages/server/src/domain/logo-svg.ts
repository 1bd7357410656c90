import createDOMPurify, { type DOMPurify } from 'dompurify';
import { JSDOM } from 'jsdom';
import { AppError } from './errors.js';

/**
 * SVG logos are sanitised with DOMPurify's SVG profile, and refused (not silently changed) when it had to remove
 * anything that could run or load something: a logo that looks different from what was uploaded would be a
 * surprise, and a file with scripts in it is better sent back to whoever made it (docs/channels.md).
 */

/**
 * Removed nodes that change nothing visible: comments, editor metadata and namespaced editor elements
 * (sodipodi:namedview, inkscape:…). Any other removed element (script, foreignObject, animate/set, use, …) means
 * the logo would look or behave differently, so the file is refused.
 */
// html/head/body: DOMPurify reports the wrapper it parses into as removed.
const isHarmlessNode = (name: string): boolean => name.startsWith('#') || name.includes(':') || ['metadata', 'html', 'head', 'body'].includes(name);
const isDangerousAttribute = (name: string): boolean => /^on/i.test(name) || /(^|:)href$/i.test(name) || name.toLowerCase() === 'src';

let purifier: { purify: DOMPurify; window: JSDOM['window'] } | null = null;

function instance(): { purify: DOMPurify; window: JSDOM['window'] } {
  if (purifier) return purifier;
  const { window } = new JSDOM('');
  const purify = createDOMPurify(window);
  // Only in-document references (#id): no external images, fonts or other documents.
  purify.addHook('uponSanitizeAttribute', (_node, data) => {
    if (/(^|:)href$/i.test(data.attrName) && !data.attrValue.trim().startsWith('#')) data.keepAttr = false;
    if (/url\(\s*['"]?\s*(?!#)/i.test(data.attrValue)) data.keepAttr = false;
  });
  purifier = { purify, window };
  return purifier;
}

const refuse = (detail: string): AppError => new AppError('validation_failed', 'logo', undefined, detail);

/** The sanitised SVG document, or validation_failed (field `logo`) with the reason. */
export function sanitiseSvg(text: string): string {
  // An internal DTD subset can declare entities (billion laughs); plain logos never need one.
  if (/<!DOCTYPE[^>]*\[/i.test(text)) throw refuse('SVG with a DTD is not accepted');
  const body = text.replace(/^\uFEFF?\s*<\?xml[^>]*\?>/i, '').replace(/<!DOCTYPE[^>]*>/i, '');
  const { purify, window } = instance();
  const fragment = purify.sanitize(body, { USE_PROFILES: { svg: true, svgFilters: true }, RETURN_DOM_FRAGMENT: true });
  for (const removed of purify.removed) {
    if ('element' in removed) {
      const name = (removed.element as Element).nodeName?.toLowerCase() ?? '';
      if (!isHarmlessNode(name)) throw refuse(`SVG with <${name}> is not accepted`);
    } else if ('attribute' in removed && removed.attribute) {
      const name = removed.attribute.name;
      if (isDangerousAttribute(name) || /url\(/i.test(removed.attribute.value)) {
        throw refuse(`SVG with the attribute ${name}="${removed.attribute.value.slice(0, 60)}" is not accepted`);
      }
    }
  }
  const roots = [...fragment.children];
  const svg = roots[0];
  if (roots.length !== 1 || !svg || svg.localName !== 'svg') throw refuse('not an SVG image');
  const out = new window.XMLSerializer().serializeToString(svg);
  // Style sheets may load from elsewhere too; the hook only sees attributes.
  if (/@import|url\(\s*['"]?\s*(?!#)/i.test(out)) throw refuse('SVG referring to other files is not accepted');
  return out;
}
