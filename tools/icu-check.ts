import MessageFormat from '@messageformat/core';
import { parse, type Token } from '@messageformat/parser';

type Dictionary = Readonly<Record<string, string>>;

function collect(tokens: readonly Token[], into: Set<string>): Set<string> {
  for (const token of tokens) {
    if (token.type === 'argument' || token.type === 'function') into.add(token.arg);
    if (token.type === 'function' && token.param) collect(token.param, into);
    if (token.type === 'plural' || token.type === 'select' || token.type === 'selectordinal') {
      into.add(token.arg);
      for (const c of token.cases) collect(c.tokens, into);
    }
  }
  return into;
}

/** The argument names an ICU message uses, sorted. */
export function argumentNames(message: string): string[] {
  return [...collect(parse(message), new Set())].sort();
}

/**
 * Everything wrong with one language's dictionary compared with the reference (English), as
 * readable lines naming the language and key, so a failing test says exactly what to fix.
 */
export function dictionaryProblems(locale: string, dict: Dictionary, reference: Dictionary): string[] {
  const problems: string[] = [];
  const mf = new MessageFormat(locale);
  for (const key of Object.keys(reference)) if (!(key in dict)) problems.push(`${locale}: missing key '${key}'`);
  for (const [key, message] of Object.entries(dict)) {
    const english = reference[key];
    if (english === undefined) {
      problems.push(`${locale}: extra key '${key}' (not in English)`);
      continue;
    }
    if (message.trim() === '') problems.push(`${locale}: '${key}' is empty`);
    try {
      mf.compile(message);
    } catch (e) {
      problems.push(`${locale}: '${key}' does not compile: ${(e as Error).message}`);
      continue;
    }
    const want = argumentNames(english).join(', ');
    const got = argumentNames(message).join(', ');
    if (want !== got) problems.push(`${locale}: '${key}' uses arguments {${got}}, English uses {${want}}`);
  }
  return problems;
}
