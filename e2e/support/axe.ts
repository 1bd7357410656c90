import axe from 'axe-core';
import type { Frame, Page } from '@playwright/test';

/** WCAG 2.0/2.1/2.2 level A and AA rules. */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface Finding {
  /** Which screen and state was audited, e.g. "widget: pre-chat form". */
  where: string;
  rule: string;
  impact: string;
  help: string;
  helpUrl: string;
  targets: string[];
}

interface AxeWindow {
  axe: typeof axe;
}

/**
 * Runs axe-core in a page or frame (its own document only; the chat iframe is audited on its own).
 * The context must have `bypassCSP: true`: Loket's pages forbid inline scripts, axe is injected as one.
 */
export async function audit(target: Page | Frame, where: string, include?: string): Promise<Finding[]> {
  const loaded = await target.evaluate(() => 'axe' in window);
  if (!loaded) await target.addScriptTag({ content: axe.source });
  const violations = await target.evaluate(
    async ({ tags, include }) => {
      const { axe: engine } = window as unknown as AxeWindow;
      const context = include ? { include: [include] } : document;
      const result = await engine.run(context, { runOnly: { type: 'tag', values: tags }, iframes: false, resultTypes: ['violations'] });
      if (result.passes.length === 0) throw new Error('axe checked nothing: wrong document?');
      return result.violations.map((v) => ({
        rule: v.id,
        impact: v.impact ?? 'unknown',
        help: v.help,
        helpUrl: v.helpUrl,
        targets: v.nodes.map((n) => n.target.map((t) => (typeof t === 'string' ? t : JSON.stringify(t))).join(' >> ')),
      }));
    },
    { tags: WCAG_AA_TAGS, include: include ?? null },
  );
  return violations.map((v) => ({ where, ...v }));
}

export function describeFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No WCAG 2.x A/AA violations found by axe-core.';
  return findings.map((f) => `${f.where} — ${f.rule} (${f.impact}): ${f.help}\n    ${f.targets.join('\n    ')}`).join('\n');
}
