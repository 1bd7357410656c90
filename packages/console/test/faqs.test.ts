import { describe, expect, it } from 'vitest';
import type { Faq, FaqFolder } from '@loket/protocol';
import {
  NO_FILTERS,
  faqFieldOf,
  faqForm,
  faqInputOf,
  faqLinkText,
  faqListQuery,
  filterPublished,
  folderPath,
  folderTree,
  importFormat,
  importProblemLines,
  keywordsText,
  moveActive,
  moveTargets,
  nestTree,
  parseKeywords,
  sameFaqForm,
  sortFaqs,
  spacedInsert,
  subtreeIds,
} from '../src/state/faqs.js';

const folder = (id: string, parentId: string | null, name: string, faqCount = 0): FaqFolder => ({ id, parentId, name, faqCount });

// a: Billing > Invoices > Old, Billing > Refunds; b: Accounts
const FOLDERS: FaqFolder[] = [
  folder('inv', 'bill', 'Invoices'),
  folder('acc', null, 'Accounts'),
  folder('old', 'inv', 'Old'),
  folder('bill', null, 'Billing'),
  folder('ref', 'bill', 'Refunds'),
];

function faq(id: string, over: Partial<Faq> = {}): Faq {
  return {
    id,
    folderId: null,
    language: 'en',
    question: `Question ${id}`,
    answer: 'Answer',
    keywords: [],
    published: true,
    visibility: 'everyone',
    url: `https://help.example/help/faq/${id}/question`,
    deflections: 0,
    createdAt: 1,
    updatedAt: 1,
    ...over,
  };
}

describe('folderTree', () => {
  it('lists folders depth-first, siblings by name, with their depth', () => {
    expect(folderTree(FOLDERS).map((r) => `${r.depth}:${r.folder.name}`)).toEqual(['1:Accounts', '1:Billing', '2:Invoices', '3:Old', '2:Refunds']);
  });

  it('shows a folder whose parent is unknown as a root, and survives a parent cycle', () => {
    const rows = folderTree([folder('x', 'gone', 'Orphan'), folder('p', 'q', 'P'), folder('q', 'p', 'Q')]);
    expect(rows.map((r) => r.folder.id).sort()).toEqual(['p', 'q', 'x']);
    expect(rows.find((r) => r.folder.id === 'x')?.depth).toBe(1);
  });

  it('nests the rows for a nested list', () => {
    const tree = nestTree(folderTree(FOLDERS));
    expect(tree.map((n) => n.folder.id)).toEqual(['acc', 'bill']);
    expect(tree[1]?.children.map((n) => n.folder.id)).toEqual(['inv', 'ref']);
    expect(tree[1]?.children[0]?.children.map((n) => n.folder.id)).toEqual(['old']);
    expect(tree[0]?.children).toEqual([]);
  });
});

describe('moving folders', () => {
  it('knows a folder’s subtree', () => {
    expect([...subtreeIds(FOLDERS, 'bill')].sort()).toEqual(['bill', 'inv', 'old', 'ref']);
    expect([...subtreeIds(FOLDERS, 'old')]).toEqual(['old']);
  });

  it('never offers a folder itself or anything below it as its new parent', () => {
    expect(moveTargets(FOLDERS, 'inv').map((r) => r.folder.id)).toEqual(['acc', 'bill', 'ref']);
    expect(moveTargets(FOLDERS, 'acc').map((r) => r.folder.id)).toEqual(['bill', 'inv', 'old', 'ref']);
  });

  it('names a folder by its path', () => {
    expect(folderPath(FOLDERS, 'old')).toBe('Billing / Invoices / Old');
    expect(folderPath(FOLDERS, null)).toBeNull();
    expect(folderPath(FOLDERS, 'nope')).toBeNull();
  });
});

describe('keywords', () => {
  it('splits on commas, trims, and drops blanks and repeats', () => {
    expect(parseKeywords(' invoice, bill ,, Invoice,  refund ,')).toEqual(['invoice', 'bill', 'refund']);
    expect(parseKeywords('   ')).toEqual([]);
    expect(keywordsText(['a', 'b c'])).toBe('a, b c');
  });

  it('turns the form into the input the server takes', () => {
    const form = { ...faqForm(null, { language: 'nl', folderId: 'inv' }), question: 'Q', keywords: 'a, b' };
    expect(faqInputOf(form)).toEqual({ folderId: 'inv', language: 'nl', question: 'Q', answer: '', keywords: ['a', 'b'], published: false, visibility: 'everyone' });
  });

  it('does not see a change in keyword spacing, only in values', () => {
    const saved = faqForm(faq('1', { keywords: ['a', 'b'] }), { language: 'en', folderId: null });
    expect(saved.keywords).toBe('a, b');
    expect(sameFaqForm(saved, { ...saved, keywords: 'a,b ,' })).toBe(true);
    expect(sameFaqForm(saved, { ...saved, keywords: 'a, c' })).toBe(false);
    expect(sameFaqForm(saved, { ...saved, published: false })).toBe(false);
  });
});

describe('the list', () => {
  it('asks only for the filters that are set', () => {
    expect(faqListQuery(NO_FILTERS)).toBe('');
    expect(faqListQuery({ folderId: 'a b', language: 'nl', published: 'draft', q: '  retour zenden ' })).toBe('?folderId=a+b&language=nl&published=false&q=retour+zenden');
    expect(faqListQuery({ ...NO_FILTERS, published: 'published' })).toBe('?published=true');
    expect(faqListQuery({ ...NO_FILTERS, q: '   ' })).toBe('');
  });

  it('filters on published and sorts by question', () => {
    const list = [faq('1', { question: 'b', published: false }), faq('2', { question: 'a' }), faq('3', { question: 'c' })];
    expect(filterPublished(list, 'all').map((f) => f.id)).toEqual(['1', '2', '3']);
    expect(filterPublished(list, 'published').map((f) => f.id)).toEqual(['2', '3']);
    expect(filterPublished(list, 'draft').map((f) => f.id)).toEqual(['1']);
    expect(sortFaqs(list).map((f) => f.id)).toEqual(['2', '1', '3']);
  });

  it('takes the import format from the file name, else its type', () => {
    expect(importFormat('FAQs.JSON')).toBe('json');
    expect(importFormat('export.csv', 'application/vnd.ms-excel')).toBe('csv');
    expect(importFormat('data', 'text/csv')).toBe('csv');
    expect(importFormat('notes.txt', 'text/plain')).toBeNull();
  });
});

describe('server errors', () => {
  it('puts an error at the field it names, a keyword’s at the keywords input', () => {
    expect(faqFieldOf('question')).toBe('question');
    expect(faqFieldOf('keywords.3')).toBe('keywords');
    expect(faqFieldOf('folderId')).toBe('folderId');
    expect(faqFieldOf('rows')).toBeNull();
    expect(faqFieldOf(null)).toBeNull();
  });

  it('lists an import’s problems one per line', () => {
    expect(importProblemLines("line 3: language 'xx' is not one of en, nl\nline 5: question is empty\n")).toEqual(["line 3: language 'xx' is not one of en, nl", 'line 5: question is empty']);
    expect(importProblemLines(null)).toEqual([]);
  });
});

describe('the FAQ link picker', () => {
  it('inserts "question: url"', () => {
    expect(faqLinkText({ question: 'How do I pay?', url: 'https://x.test/help/faq/1/how-do-i-pay' })).toBe('How do I pay?: https://x.test/help/faq/1/how-do-i-pay');
  });

  it('keeps a space between the link and the words around it', () => {
    expect(spacedInsert('Hi!', 3, 3, 'Q: u')).toBe(' Q: u');
    expect(spacedInsert('Hi! ', 4, 4, 'Q: u')).toBe('Q: u');
    expect(spacedInsert('see.', 3, 3, 'Q: u')).toBe(' Q: u ');
    expect(spacedInsert('', null, null, 'Q: u')).toBe('Q: u');
    expect(spacedInsert('a b', 1, 2, 'Q: u')).toBe(' Q: u ');
  });

  it('moves through the options with the arrow keys, wrapping around', () => {
    expect(moveActive(-1, 3, 'ArrowDown')).toBe(0);
    expect(moveActive(0, 3, 'ArrowDown')).toBe(1);
    expect(moveActive(2, 3, 'ArrowDown')).toBe(0);
    expect(moveActive(0, 3, 'ArrowUp')).toBe(2);
    expect(moveActive(2, 3, 'ArrowUp')).toBe(1);
    expect(moveActive(1, 3, 'Home')).toBe(0);
    expect(moveActive(0, 3, 'End')).toBe(2);
    expect(moveActive(5, 2, 'x')).toBe(1);
    expect(moveActive(0, 0, 'ArrowDown')).toBe(-1);
  });
});
