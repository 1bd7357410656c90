import { LIMITS, TEMPLATE_VARIABLES, type Language } from '@loket/protocol';
import { randomBytes } from 'node:crypto';
import Handlebars from 'handlebars';
import { AppError } from '../domain/errors.js';

/**
 * The reply-template language: a small, safe subset of Handlebars.
 *
 * An administrator writes a subject and a plain-text body with `{{variables}}` and
 * `{{#if}}`/`{{#unless}}` blocks. We parse it with Handlebars and walk the syntax tree, refusing
 * anything that could reach beyond the documented variables (helpers, partials, decorators,
 * `this`/`../`/`@data` paths) or switch escaping off (`{{{…}}}`, `{{&…}}`). What passes is then
 * compiled twice: once unescaped for the text part and once with every literal and every value
 * HTML-escaped for the HTML part. See docs/email.md.
 */

// An isolated environment: nothing anyone registers on the global Handlebars reaches templates.
const env = Handlebars.create();

type Field = 'subject' | 'body';
type Variable = (typeof TEMPLATE_VARIABLES)[number];

const VARIABLES: ReadonlySet<string> = new Set(TEMPLATE_VARIABLES);
const BLOCK_HELPERS = new Set(['if', 'unless']);
/** Deeper nesting than this is a mistake, not a template; it also bounds the compiler's recursion. */
const MAX_NESTING = 16;

const COMPILE_OPTIONS = {
  knownHelpers: { if: true, unless: true, each: false, with: false, lookup: false, log: false },
  knownHelpersOnly: true,
  // Lookups on a missing value yield '' instead of throwing; every variable is always supplied anyway.
  strict: false,
  data: false,
} as const;

const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
  // Explicit although it is the default since 4.6: no constructor/__proto__ walks from a template.
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
};

type Render = (vars: object) => string;

export interface CompiledTemplate {
  language: Language;
  subject: Render;
  text: Render;
  html: Render;
}

export interface TranscriptLine {
  /** Already formatted for the reader (their zone and locale). */
  time: string;
  /** Who wrote it; '' for system lines. */
  author: string;
  text: string;
  kind: 'message' | 'system';
}

export interface TemplateVars {
  customer: { name: string; email: string };
  agent: { name: string };
  channel: { name: string };
  chat: { id: string; startedAt: string; endedAt: string };
  /** Filled for request e-mails (confirmation, replies); empty elsewhere. */
  request: { id: string; question: string };
  transcript: TranscriptLine[];
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

function invalid(field: Field, detail: string): AppError {
  return new AppError('template_invalid', field, detail, detail);
}

function lineOf(node: hbs.AST.Node): number {
  return node.loc?.start.line ?? 1;
}

/** A plain variable reference: `customer.name`, not `this.x`, `../x`, `@root.x` or `[customer.name]`. */
function variableOf(node: hbs.AST.Node): Variable | null {
  if (node.type !== 'PathExpression') return null;
  const path = node as hbs.AST.PathExpression;
  if (path.data || path.depth !== 0) return null;
  const segments = path.original.split('.');
  if (segments.length !== path.parts.length || segments.some((s, i) => s !== path.parts[i])) return null;
  return VARIABLES.has(path.original) ? (path.original as Variable) : null;
}

function describe(node: hbs.AST.Node): string {
  if (node.type === 'PathExpression') return (node as hbs.AST.PathExpression).original;
  if ('original' in node) return String((node as hbs.AST.StringLiteral).original);
  return node.type;
}

interface WalkRules {
  field: Field;
  /** The transcript is a block of lines; it belongs in the body only. */
  allowTranscript: boolean;
}

function checkVariable(node: hbs.AST.Node, rules: WalkRules): void {
  const variable = variableOf(node);
  if (variable === null) throw invalid(rules.field, `unknown variable ${describe(node)} on line ${lineOf(node)}`);
  if (variable === 'transcript' && !rules.allowTranscript) {
    throw invalid(rules.field, `transcript can only be used in the body (line ${lineOf(node)})`);
  }
}

function walkProgram(program: hbs.AST.Program | undefined, rules: WalkRules, depth: number): void {
  if (!program) return;
  if (program.blockParams && program.blockParams.length > 0) {
    throw invalid(rules.field, `block parameters are not supported (line ${lineOf(program)})`);
  }
  for (const node of program.body) walkStatement(node, rules, depth);
}

function walkStatement(node: hbs.AST.Statement, rules: WalkRules, depth: number): void {
  const line = lineOf(node);
  switch (node.type) {
    case 'ContentStatement':
    case 'CommentStatement':
      return;
    case 'MustacheStatement': {
      const m = node as hbs.AST.MustacheStatement;
      if (!m.escaped) throw invalid(rules.field, `unescaped output ({{{ }}} or {{& }}) is not allowed (line ${line})`);
      if (m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0) {
        throw invalid(rules.field, `helpers are not supported: ${describe(m.path)} on line ${line}`);
      }
      checkVariable(m.path, rules);
      return;
    }
    case 'BlockStatement': {
      const b = node as hbs.AST.BlockStatement;
      const helper = b.path.type === 'PathExpression' ? b.path.original : describe(b.path);
      if (!BLOCK_HELPERS.has(helper)) throw invalid(rules.field, `only {{#if}} and {{#unless}} blocks are supported, not ${helper} (line ${line})`);
      if (b.params.length !== 1 || (b.hash?.pairs.length ?? 0) > 0) {
        throw invalid(rules.field, `{{#${helper}}} takes exactly one variable (line ${line})`);
      }
      checkVariable(b.params[0] as hbs.AST.Node, rules);
      if (depth >= MAX_NESTING) throw invalid(rules.field, `blocks are nested too deeply (line ${line})`);
      walkProgram(b.program, rules, depth + 1);
      walkProgram(b.inverse, rules, depth + 1);
      return;
    }
    case 'PartialStatement':
    case 'PartialBlockStatement':
      throw invalid(rules.field, `partials are not supported (line ${line})`);
    case 'Decorator':
    case 'DecoratorBlock':
      throw invalid(rules.field, `decorators are not supported (line ${line})`);
    default:
      throw invalid(rules.field, `unsupported syntax ${node.type} on line ${line}`);
  }
}

function parse(source: string, field: Field): hbs.AST.Program {
  try {
    return env.parse(source);
  } catch (err) {
    // Handlebars says "Parse error on line N:\n<excerpt>\n----^\nExpecting …"; keep the first and last lines.
    const lines = (err instanceof Error ? err.message : String(err)).split('\n');
    const detail = lines.length > 1 ? `${lines[0]} ${lines[lines.length - 1]}` : (lines[0] ?? 'syntax error');
    throw invalid(field, detail.slice(0, 300));
  }
}

/** A deep copy in which every literal text is HTML-escaped, for the HTML part. */
function escapeLiterals<T>(node: T): T {
  if (Array.isArray(node)) return node.map((n: unknown) => escapeLiterals(n)) as T;
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) copy[key] = key === 'loc' ? value : escapeLiterals(value);
  if (copy.type === 'ContentStatement' && typeof copy.value === 'string') copy.value = env.Utils.escapeExpression(copy.value);
  return copy as T;
}

function toRender(ast: hbs.AST.Program, noEscape: boolean): Render {
  const template = env.compile(ast, { ...COMPILE_OPTIONS, noEscape });
  return (vars) => template(vars, RUNTIME_OPTIONS);
}

/**
 * Validates a template and prepares it for rendering. Throws AppError('template_invalid', field)
 * whose detail says what is wrong and where, e.g. "unknown variable customer.nmae on line 2".
 */
export function compileTemplate(input: { subject: string; body: string; language?: Language }): CompiledTemplate {
  const subjectSource = input.subject.replace(/\r\n?/g, ' ');
  const bodySource = input.body.replace(/\r\n?/g, '\n');
  const subjectAst = parse(subjectSource, 'subject');
  walkProgram(subjectAst, { field: 'subject', allowTranscript: false }, 0);
  const bodyAst = parse(bodySource, 'body');
  walkProgram(bodyAst, { field: 'body', allowTranscript: true }, 0);
  const compiled: CompiledTemplate = {
    language: input.language ?? 'en',
    subject: toRender(subjectAst, true),
    text: toRender(bodyAst, true),
    html: toRender(escapeLiterals(bodyAst), false),
  };
  // Handlebars compiles lazily; do it now so a compiler error is the author's error, not the sender's.
  try {
    renderTemplate(compiled, SMOKE_VARS);
  } catch (err) {
    throw invalid('body', (err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 300) ?? 'invalid template');
  }
  return compiled;
}

const SMOKE_VARS: TemplateVars = {
  customer: { name: 'x', email: 'x@example.com' },
  agent: { name: 'x' },
  channel: { name: 'x' },
  chat: { id: 'x', startedAt: 'x', endedAt: 'x' },
  request: { id: 'x', question: 'x' },
  transcript: [{ time: 'x', author: 'x', text: 'x', kind: 'message' }],
};

/** One line for a header: no CR/LF or other control characters, no runs of blanks, bounded. */
export function headerText(value: string, max: number = LIMITS.templateSubject): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
  return [...flat].slice(0, max).join('').trim();
}

/** Trailing blanks off each line, at most one empty line in a row, no blank lines around. */
function tidyText(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function transcriptText(lines: TranscriptLine[]): string {
  return lines
    .map((l) => {
      const body = l.text.replace(/\r\n?/g, '\n').split('\n').join('\n    ');
      return l.kind === 'system' ? `[${l.time}] — ${body}` : `[${l.time}] ${l.author}: ${body}`;
    })
    .join('\n');
}

const esc = (s: string): string => env.Utils.escapeExpression(s);
const multiline = (s: string): string => esc(s.replace(/\r\n?/g, '\n')).replace(/\n/g, '<br>');

const MUTED = 'color:#5f6b7a';
const CELL = 'padding:6px 12px 6px 0;vertical-align:top;border-top:1px solid #e5e7eb';

function transcriptHtml(lines: TranscriptLine[]): string {
  const rows = lines.map((l) => {
    const time = `<td style="${CELL};white-space:nowrap;${MUTED};font-size:13px">${esc(l.time)}</td>`;
    const content =
      l.kind === 'system'
        ? `<td style="${CELL};${MUTED};font-style:italic">${multiline(l.text)}</td>`
        : `<td style="${CELL}"><strong>${esc(l.author)}</strong><br>${multiline(l.text)}</td>`;
    return `<tr>${time}${content}</tr>`;
  });
  return `<table cellpadding="0" cellspacing="0" style="width:100%;border-collapse:collapse;margin:8px 0 20px;font-size:14px;line-height:1.45">${rows.join('')}</table>`;
}

/** Escaped text → paragraphs and line breaks; the transcript placeholder becomes its table. */
function paragraphs(escaped: string, placeholder: string, table: string): string {
  const out: string[] = [];
  for (const block of tidyText(escaped).split(/\n{2,}/)) {
    const pieces = block.split(placeholder);
    pieces.forEach((piece, i) => {
      if (i > 0) out.push(table);
      const p = piece.replace(/^\n+|\n+$/g, '');
      if (p.trim() !== '') out.push(`<p style="margin:0 0 16px">${p.replace(/\n/g, '<br>\n')}</p>`);
    });
  }
  return out.join('\n');
}

function htmlDocument(language: string, subject: string, content: string): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${esc(language)}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(subject)}</title></head>`,
    '<body style="margin:0;padding:0;background:#f4f5f7">',
    '<div style="max-width:640px;margin:0 auto;padding:24px 16px">',
    '<div style="background:#ffffff;border-radius:8px;padding:24px;font-family:-apple-system,BlinkMacSystemFont,\'Segoe UI\',Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#1f2328">',
    content,
    '</div></div></body></html>',
  ].join('\n');
}

/** Renders a compiled template: the subject as one header line, a text part and an HTML part. */
export function renderTemplate(compiled: CompiledTemplate, vars: TemplateVars): RenderedEmail {
  const subject = headerText(compiled.subject({ ...vars, transcript: '' }));
  const text = tidyText(compiled.text({ ...vars, transcript: transcriptText(vars.transcript) }));
  // A random token stands in for the transcript while the body is escaped and split into
  // paragraphs; nobody can forge it, since it is unknown to the template and to every value.
  const placeholder = `\u2063transcript-${randomBytes(12).toString('hex')}\u2063`;
  const escaped = compiled.html({ ...vars, transcript: vars.transcript.length > 0 ? placeholder : '' });
  const html = htmlDocument(compiled.language, subject, paragraphs(escaped, placeholder, transcriptHtml(vars.transcript)));
  return { subject, text, html };
}
