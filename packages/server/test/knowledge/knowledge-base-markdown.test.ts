import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { renderFaqMarkdown } from '../../src/faq/markdown.js';

/** Parses the rendered HTML the way a browser would, so the assertions are about elements, not substrings. */
function dom(html: string) {
  return new JSDOM(`<body>${html}</body>`).window.document.body;
}

/** Every element and attribute that could run script or load something when the HTML is put into a page. */
function activeParts(html: string): string[] {
  const found: string[] = [];
  for (const el of Array.from(dom(html).querySelectorAll('*'))) {
    const tag = el.tagName.toLowerCase();
    if (['script', 'img', 'iframe', 'object', 'embed', 'svg', 'style', 'link', 'form', 'input', 'video', 'audio'].includes(tag)) found.push(tag);
    for (const attr of Array.from(el.attributes)) {
      if (attr.name.startsWith('on') || attr.name === 'style' || attr.name === 'srcdoc') found.push(`${tag}[${attr.name}]`);
      if ((attr.name === 'href' || attr.name === 'src') && !/^(https?:|mailto:|\/|#|[^:]*$)/i.test(attr.value)) found.push(`${tag}[${attr.name}=${attr.value}]`);
    }
  }
  return found;
}

describe('FAQ answer Markdown', () => {
  it('renders ordinary Markdown: emphasis, lists, code, headings, links', () => {
    const body = dom(renderFaqMarkdown('# Returns\n\nYou have **30 days**:\n\n1. pack it\n2. use `RETURN-1`\n\nSee [our policy](/help/policy).'));
    expect(body.querySelector('h1')?.textContent).toBe('Returns');
    expect(body.querySelector('strong')?.textContent).toBe('30 days');
    expect(Array.from(body.querySelectorAll('ol li')).map((li) => li.textContent)).toEqual(['pack it', 'use RETURN-1']);
    const link = body.querySelector('a');
    expect(link?.getAttribute('href')).toBe('/help/policy');
    // Relative links stay in the same tab.
    expect(link?.hasAttribute('target')).toBe(false);
  });

  it('opens external links in a new tab without an opener, and links bare URLs', () => {
    const body = dom(renderFaqMarkdown('Track it on https://track.example/nl?id=1 or [mail us](mailto:help@shop.example).'));
    const [auto, mail] = Array.from(body.querySelectorAll('a'));
    expect(auto?.getAttribute('href')).toBe('https://track.example/nl?id=1');
    expect(auto?.getAttribute('target')).toBe('_blank');
    expect(auto?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(mail?.getAttribute('href')).toBe('mailto:help@shop.example');
  });

  it.each([
    ['a script tag', '<script>alert(1)</script>', '<script>alert(1)</script>'],
    ['an image with onerror', '<img src=x onerror="alert(1)">', '<img src=x onerror="alert(1)">'],
    ['an anchor with a javascript: href', '<a href="javascript:alert(1)">x</a>', '<a href="javascript:alert(1)">x</a>'],
    ['an svg with onload', '<svg onload=alert(1)></svg>', '<svg onload=alert(1)></svg>'],
  ])('shows raw HTML (%s) as text', (_name, input, text) => {
    const html = renderFaqMarkdown(input);
    expect(activeParts(html)).toEqual([]);
    expect(dom(html).textContent?.trim()).toBe(text);
  });

  it.each([
    ['javascript:', '[click](javascript:alert(1))'],
    ['JavaScript: with mixed case', '[click](JaVaScRiPt:alert(1))'],
    ['javascript: with a tab inside', '[click](java\tscript:alert(1))'],
    ['javascript: as an entity', '[click](&#106;avascript:alert(1))'],
    ['vbscript:', '[click](vbscript:msgbox(1))'],
    ['data: text/html', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['a data: image', '![pixel](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
    ['a javascript: image', '![x](javascript:alert(1))'],
    ['a reference link to javascript:', '[click][evil]\n\n[evil]: javascript:alert(1)'],
    ['an autolink to javascript:', '<javascript:alert(1)>'],
  ])('makes a %s link inert', (_name, input) => {
    const html = renderFaqMarkdown(input);
    expect(activeParts(html)).toEqual([]);
    expect(dom(html).querySelectorAll('a, img')).toHaveLength(0);
  });

  it('escapes attribute breakouts in link URLs and titles', () => {
    const html = renderFaqMarkdown('[x](https://shop.example/"onmouseover="alert(1) "t\\" onclick=\\"alert(2)")');
    expect(activeParts(html)).toEqual([]);
    const links = Array.from(dom(html).querySelectorAll('a'));
    expect(links).toHaveLength(1);
    expect(links[0]?.getAttributeNames().sort()).toEqual(['href', 'rel', 'target', 'title']);
    expect(links[0]?.getAttribute('title')).toBe('t" onclick="alert(2)');
  });

  it('shows images as links to them instead of loading them', () => {
    const body = dom(renderFaqMarkdown('![The label](https://cdn.example/label.png)'));
    expect(body.querySelector('img')).toBeNull();
    const a = body.querySelector('a');
    expect(a?.getAttribute('href')).toBe('https://cdn.example/label.png');
    expect(a?.textContent).toBe('The label');
    expect(a?.getAttribute('rel')).toBe('noopener noreferrer');
  });
});
