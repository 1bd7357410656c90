import type { Language } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import { createFaqIndex, MAX_QUERY_WORDS, maxEdits, stripMarkdown, type FaqDocument, type FaqIndex } from '../../src/search/index.js';

let seq = 0;
function faq(language: Language, question: string, more: Partial<FaqDocument> = {}): FaqDocument {
  return { id: `f${++seq}`, folderId: 'root', language, question, answer: '', keywords: [], published: true, visibility: 'everyone', ...more };
}

function indexOf(...docs: FaqDocument[]): FaqIndex {
  const index = createFaqIndex();
  for (const d of docs) index.upsert(d);
  return index;
}

const ids = (index: FaqIndex, query: string, language: Language, more: Partial<Parameters<FaqIndex['search']>[1]> = {}) =>
  index.search(query, { language, ...more }).map((h) => h.id);

/**
 * Per language: an FAQ, a decoy in the same language, a query with another inflection of the FAQ's word (stemming), a
 * query without its accents (folding), and a query of stop words only, which must find nothing.
 */
const LANGUAGE_CASES: Array<{ language: Language; question: string; decoy: string; inflected: string; unaccented: string; stopwords: string }> = [
  { language: 'en', question: 'When does the delivery arrive at the café?', decoy: 'How do I reset my password?', inflected: 'deliveries', unaccented: 'cafe', stopwords: 'the of and it' },
  { language: 'nl', question: 'Waar is mijn bestelling? Ook naar België?', decoy: 'Hoe reset ik mijn wachtwoord?', inflected: 'bestellingen', unaccented: 'belgie', stopwords: 'de het een en' },
  { language: 'de', question: 'Wie funktioniert die Rücksendung per Überweisung?', decoy: 'Wie ändere ich mein Passwort?', inflected: 'Rücksendungen', unaccented: 'ruecksendung uberweisung', stopwords: 'der die das und' },
  { language: 'fr', question: 'Quand arrive la livraison au café ?', decoy: 'Comment changer mon mot de passe ?', inflected: 'livraisons', unaccented: 'cafe', stopwords: 'le la les de' },
  { language: 'es', question: '¿Cómo funciona la devolución del envío?', decoy: '¿Cómo cambio mi contraseña?', inflected: 'devoluciones', unaccented: 'devolucion envio', stopwords: 'el la de que' },
  { language: 'nb', question: 'Hvor er bestillingen min? Varen er ødelagt', decoy: 'Hvordan endrer jeg passordet?', inflected: 'bestillinger', unaccented: 'odelagt', stopwords: 'og i det som' },
  { language: 'sv', question: 'Var är min beställning? Återbetalning?', decoy: 'Hur byter jag lösenord?', inflected: 'beställningar', unaccented: 'bestallning aterbetalning', stopwords: 'och att det som' },
  { language: 'da', question: 'Hvor er min bestilling? Kan jeg købe mere?', decoy: 'Hvordan ændrer jeg adgangskoden?', inflected: 'bestillinger', unaccented: 'kobe', stopwords: 'og at det som' },
];

describe('FAQ search: language analysis', () => {
  for (const c of LANGUAGE_CASES) {
    describe(c.language, () => {
      const target = faq(c.language, c.question);
      const index = indexOf(target, faq(c.language, c.decoy));
      it('stems: another inflection finds the FAQ', () => {
        expect(ids(index, c.inflected, c.language)).toEqual([target.id]);
      });
      it('folds diacritics: typed without accents finds the FAQ', () => {
        expect(ids(index, c.unaccented, c.language)).toEqual([target.id]);
        // …and the accented spelling still finds it too.
        expect(ids(index, c.question, c.language)[0]).toBe(target.id);
      });
      it('drops stop words: a query of stop words only finds nothing', () => {
        expect(ids(index, c.stopwords, c.language)).toEqual([]);
      });
    });
  }

  it('reads German "ue" and Danish "aa" as the letters they replace', () => {
    const de = faq('de', 'Größe der Tür');
    const da = faq('da', 'Hvornår åbner butikken?');
    const index = indexOf(de, da);
    expect(ids(index, 'groesse tuer', 'de')).toEqual([de.id]);
    expect(ids(index, 'hvornaar aabner', 'da')).toEqual([da.id]);
  });

  it('folds a hyphenated word both joined and apart', () => {
    const doc = faq('en', 'Change your e-mail address');
    const index = indexOf(doc);
    expect(ids(index, 'email', 'en')).toEqual([doc.id]);
    expect(ids(index, 'mail', 'en')).toEqual([doc.id]);
  });

  it('maps the documented colloquial synonyms onto one word', () => {
    const en = faq('en', 'Where is my invoice?');
    const nl = faq('nl', 'Mijn product is defect');
    const index = indexOf(en, nl);
    expect(ids(index, 'bill', 'en')).toEqual([en.id]);
    expect(ids(index, 'kapot', 'nl')).toEqual([nl.id]);
  });
});

describe('FAQ search: typos and prefixes', () => {
  const shipping = faq('en', 'What are the shipping costs?');
  const returns = faq('en', 'Returning an item');
  const invoice = faq('en', 'Where is my invoice?');
  const delivery = faq('en', 'Delivery times');
  const nl = faq('nl', 'Waar blijft mijn bestelling?');
  const index = indexOf(shipping, returns, invoice, delivery, nl);

  it('scales the edit distance with the length of the word', () => {
    expect([maxEdits('tv'), maxEdits('tax'), maxEdits('order'), maxEdits('delivery')]).toEqual([0, 0, 1, 2]);
  });

  it('tolerates typos in longer words', () => {
    expect(ids(index, 'shiping', 'en')[0]).toBe(shipping.id);
    expect(ids(index, 'invocie', 'en')[0]).toBe(invoice.id);
    expect(ids(index, 'bestelilng', 'nl')[0]).toBe(nl.id);
  });

  it('does not correct short words, where a typo is another word', () => {
    expect(ids(index, 'cost', 'en')).toEqual([shipping.id]);
    expect(ids(index, 'my', 'en')).toEqual([]);
  });

  it('completes the last word while it is still being typed', () => {
    expect(ids(index, 'where is my invo', 'en')[0]).toBe(invoice.id);
    // Too far from "delivery" for a typo (one edit at four letters): only the prefix rule finds it.
    expect(ids(index, 'deli', 'en')).toEqual([delivery.id]);
  });

  it('does not complete a last word that is already a word of the FAQs', () => {
    const short = faq('en', 'Card payments');
    const long = faq('en', 'Cardboard packaging');
    const idx = indexOf(short, long);
    expect(ids(idx, 'card', 'en')).toEqual([short.id]);
    expect(ids(idx, 'cardb', 'en')[0]).toBe(long.id);
  });

  it('completes only the last word, and not once it is followed by a space', () => {
    expect(ids(index, 'deli invoice', 'en')).toEqual([invoice.id]);
    expect(ids(index, 'deli ', 'en')).toEqual([]);
    expect(ids(index, 'deli?', 'en')).toEqual([]);
  });
});

describe('FAQ search: what may be returned', () => {
  it('never returns an unpublished or login-only FAQ to the public', () => {
    const open = faq('en', 'Opening hours of the store');
    const draft = faq('en', 'Opening hours on holidays', { published: false });
    const members = faq('en', 'Opening hours for members', { visibility: 'logged_in' });
    const index = indexOf(open, draft, members);
    expect(ids(index, 'opening hours', 'en', { limit: 10 })).toEqual([open.id]);
    expect(ids(index, 'opening hours', 'en', { limit: 10, publicOnly: true })).toEqual([open.id]);
    // Not through a completed prefix or a typo either.
    expect(ids(index, 'openin', 'en', { limit: 10 })).toEqual([open.id]);
    expect(ids(index, 'opneing', 'en', { limit: 10 })).toEqual([open.id]);
    expect(ids(index, 'opening hours', 'en', { limit: 10, publicOnly: false }).sort()).toEqual([open.id, draft.id, members.id].sort());
  });

  it('limits the results to the folders asked for', () => {
    const a = faq('en', 'Return a parcel', { folderId: 'returns' });
    const b = faq('en', 'Return a parcel from abroad', { folderId: 'abroad' });
    const c = faq('en', 'Return a parcel, no folder', { folderId: null });
    const index = indexOf(a, b, c);
    expect(ids(index, 'return parcel', 'en', { folderIds: new Set(['returns']) })).toEqual([a.id]);
    expect(ids(index, 'return parcel', 'en', { folderIds: new Set(['returns', 'abroad']) }).sort()).toEqual([a.id, b.id].sort());
    expect(ids(index, 'return parcel', 'en', { folderIds: null })).toHaveLength(3);
  });

  it('returns at most `limit` hits, 3 by default, best first', () => {
    const docs = ['Order status', 'Order changes', 'Order cancellation', 'Order confirmation', 'Order order order'].map((q) => faq('en', q));
    const index = indexOf(...docs);
    const hits = index.search('order', { language: 'en' });
    expect(hits).toHaveLength(3);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((x, y) => y - x));
    expect(index.search('order', { language: 'en', limit: 5 })).toHaveLength(5);
    expect(index.search('order', { language: 'en', limit: 0 })).toEqual([]);
  });

  it('searches only the FAQs in the language of the query', () => {
    const en = faq('en', 'Order status');
    const nl = faq('nl', 'Order status');
    const index = indexOf(en, nl);
    expect(ids(index, 'order status', 'nl')).toEqual([nl.id]);
    expect(ids(index, 'order status', 'en')).toEqual([en.id]);
    expect(ids(index, 'order status', 'de')).toEqual([]);
  });

  it('reports how much of the query an FAQ covers', () => {
    const doc = faq('en', 'Shipping costs');
    const index = indexOf(doc);
    expect(index.search('shipping costs', { language: 'en' })[0]?.coverage).toBe(1);
    expect(index.search('shipping abroad', { language: 'en' })[0]?.coverage).toBe(0.5);
  });
});

describe('FAQ search: bad input', () => {
  const doc = faq('en', 'What are the shipping costs?');
  const index = indexOf(doc);

  it('finds nothing, without error, in an empty or punctuation-only query', () => {
    for (const q of ['', '   ', '?!', '-', "'", '\u0301']) expect(ids(index, q, 'en')).toEqual([]);
  });

  it('refuses to index a language it has no analyser for', () => {
    expect(() => index.upsert({ ...doc, id: 'x', language: 'xx' as Language })).toThrow(/unsupported language/);
    expect(index.has('x')).toBe(false);
    // A failed upsert leaves the FAQ's previous version in place.
    expect(() => index.upsert({ ...doc, language: 'xx' as Language })).toThrow(/unsupported language/);
    expect(ids(index, 'shipping', 'en')).toEqual([doc.id]);
    expect(ids(index, 'shipping', 'xx' as Language)).toEqual([]);
  });

  it('looks at no more than MAX_QUERY_WORDS distinct words', () => {
    const filler = Array.from({ length: MAX_QUERY_WORDS }, (_, i) => `q${i}z`).join(' ');
    expect(ids(index, `shipping ${filler}`, 'en')).toEqual([doc.id]);
    expect(ids(index, `${filler} shipping`, 'en')).toEqual([]);
    // Repeating a word does not use up the budget.
    expect(ids(index, `${'q0z '.repeat(50)}shipping`, 'en')).toEqual([doc.id]);
  });

  it('bounds the cost of a pasted wall of text', () => {
    const wall = Array.from({ length: 2_000 }, (_, i) => `misspeltword${i}`).join(' ');
    const started = performance.now();
    expect(ids(index, wall, 'en')).toEqual([]);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('FAQ search: following edits', () => {
  it('upsert replaces the FAQ, also when its language changes', () => {
    const doc = faq('en', 'Shipping costs');
    const index = indexOf(doc);
    index.upsert({ ...doc, question: 'Opening hours' });
    expect(ids(index, 'shipping', 'en')).toEqual([]);
    expect(ids(index, 'opening hours', 'en')).toEqual([doc.id]);
    index.upsert({ ...doc, language: 'nl', question: 'Openingstijden' });
    expect(ids(index, 'opening hours', 'en')).toEqual([]);
    expect(ids(index, 'openingstijden', 'nl')).toEqual([doc.id]);
    expect(index.size).toBe(1);
  });

  it('upsert follows publishing and unpublishing', () => {
    const doc = faq('en', 'Shipping costs', { published: false });
    const index = indexOf(doc);
    expect(ids(index, 'shipping', 'en')).toEqual([]);
    index.upsert({ ...doc, published: true });
    expect(ids(index, 'shipping', 'en')).toEqual([doc.id]);
    index.upsert({ ...doc, published: true, visibility: 'logged_in' });
    expect(ids(index, 'shipping', 'en')).toEqual([]);
  });

  it('remove removes', () => {
    const doc = faq('en', 'Shipping costs');
    const index = indexOf(doc, faq('en', 'Opening hours'));
    expect(index.remove(doc.id)).toBe(true);
    expect(index.has(doc.id)).toBe(false);
    expect(ids(index, 'shipping', 'en')).toEqual([]);
    expect(index.remove(doc.id)).toBe(false);
    expect(index.size).toBe(1);
  });
});

describe('FAQ search: Markdown answers', () => {
  it('indexes the words of an answer, not its markup or link addresses', () => {
    const doc = faq('en', 'Where is my order?', {
      answer: '## Tracking\nFollow it with the **[carrier link](https://parcels.example/track?id=1)**.\n\n- `Orders` page\n<b>bold</b>',
    });
    const index = indexOf(doc);
    expect(ids(index, 'carrier', 'en')).toEqual([doc.id]);
    expect(ids(index, 'tracking', 'en')).toEqual([doc.id]);
    expect(ids(index, 'parcels', 'en')).toEqual([]);
    expect(ids(index, 'https', 'en')).toEqual([]);
  });

  it('strips Markdown to its words', () => {
    expect(stripMarkdown('# Title\n> quote *em* __strong__ ![alt](x.png) [a][ref]\n[ref]: https://x.example').replace(/\s+/g, ' ').trim()).toBe(
      'Title quote em strong alt a',
    );
  });
});
