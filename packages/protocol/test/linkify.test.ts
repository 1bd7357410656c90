import { describe, expect, it } from 'vitest';
import { faqLinkId, isWebLink, linkify, type TextPart } from '../src/linkify.js';

const links = (text: string) => linkify(text).filter((p): p is Extract<TextPart, { kind: 'link' }> => p.kind === 'link');
const joined = (parts: TextPart[]) => parts.map((p) => p.text).join('');

describe('linkify', () => {
  it('keeps plain text as one part and gives every message back unchanged', () => {
    expect(linkify('hello there')).toEqual([{ kind: 'text', text: 'hello there' }]);
    expect(linkify('')).toEqual([]);
    for (const s of ['see https://a.example/x.', 'a (http://b.example) c', 'mailto:x@y.example!', '<b>http://c.example</b>']) {
      expect(joined(linkify(s))).toBe(s);
    }
  });

  it('finds http, https and mailto links among text', () => {
    expect(linkify('Go to https://shop.example/orders?id=1#top now')).toEqual([
      { kind: 'text', text: 'Go to ' },
      { kind: 'link', text: 'https://shop.example/orders?id=1#top', href: 'https://shop.example/orders?id=1#top' },
      { kind: 'text', text: ' now' },
    ]);
    expect(links('HTTP://Shop.Example/A')[0]?.href).toBe('http://shop.example/A');
    expect(links('write to mailto:help@shop.example.')).toEqual([{ kind: 'link', text: 'mailto:help@shop.example', href: 'mailto:help@shop.example' }]);
  });

  it('leaves trailing sentence punctuation outside the link', () => {
    for (const tail of ['.', ',', '!', '?', ';', ':', '...', '?!', "'"]) {
      expect(links(`Look: https://a.example/page${tail}`)[0]?.text).toBe('https://a.example/page');
    }
    expect(links('https://a.example/a.b.c/')[0]?.text).toBe('https://a.example/a.b.c/');
  });

  it('keeps balanced parentheses in a URL and drops an unbalanced closing one', () => {
    expect(links('https://en.wikipedia.org/wiki/Bracket_(disambiguation)')[0]?.text).toBe('https://en.wikipedia.org/wiki/Bracket_(disambiguation)');
    expect(links('(see https://a.example/x)')[0]?.text).toBe('https://a.example/x');
    expect(links('(see https://en.wikipedia.org/wiki/A_(b)).')[0]?.text).toBe('https://en.wikipedia.org/wiki/A_(b)');
    expect(links('[https://a.example/x]')[0]?.text).toBe('https://a.example/x');
  });

  it('never makes a link of other schemes, however they are disguised', () => {
    for (const s of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'javascript:http://evil.example/%0aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://files.example/x',
      'xhttp://a.example',
      'mailto:javascript:alert(1)',
      'https://',
      'http:///nohost',
      'mailto:',
    ]) {
      expect(links(s), s).toEqual([]);
    }
  });

  it('does not let markup or quotes into a link', () => {
    expect(links('<a href="https://a.example/x">click</a>').map((l) => l.href)).toEqual(['https://a.example/x']);
    expect(links('https://a.example/x"onmouseover="alert(1)')[0]?.href).toBe('https://a.example/x');
    expect(links('https://a.example/<script>')[0]?.href).toBe('https://a.example/');
  });

  it('opens internationalised domain names through their punycode form, showing them as typed', () => {
    const [link] = links('Bestel op https://bücher.example/straße en klaar');
    expect(link?.text).toBe('https://bücher.example/straße');
    expect(link?.href).toBe('https://xn--bcher-kva.example/stra%C3%9Fe');
  });

  it('handles very long text and many links', () => {
    const long = `${'word '.repeat(20_000)}https://a.example/${'x'.repeat(5000)} end`;
    const found = links(long);
    expect(found).toHaveLength(1);
    expect(found[0]?.text).toHaveLength('https://a.example/'.length + 5000);
    const many = Array.from({ length: 500 }, (_, i) => `https://a${i}.example`).join(' ');
    expect(links(many)).toHaveLength(500);
    expect(links('('.repeat(10_000) + 'http://a.example' + ')'.repeat(10_000))[0]?.text).toBe('http://a.example');
  });

  it('tells web links from mail links', () => {
    expect(isWebLink('https://a.example/')).toBe(true);
    expect(isWebLink('mailto:a@b.example')).toBe(false);
  });
});

describe('faqLinkId', () => {
  const origin = 'https://chat.example';
  it('recognises public FAQ pages of Loket itself, with or without the slug', () => {
    expect(faqLinkId('https://chat.example/help/faq/3f2a-9b/where-is-my-order', origin)).toBe('3f2a-9b');
    expect(faqLinkId('https://chat.example/help/faq/abc', origin)).toBe('abc');
  });
  it('ignores other origins, paths and nonsense', () => {
    expect(faqLinkId('https://evil.example/help/faq/abc/x', origin)).toBeNull();
    expect(faqLinkId('https://chat.example/help/folders/abc', origin)).toBeNull();
    expect(faqLinkId('https://chat.example/help/faq/abc/x/y', origin)).toBeNull();
    expect(faqLinkId('not a url', origin)).toBeNull();
  });
});
