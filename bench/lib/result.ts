/** What every scenario returns to bench/run.ts, which prints it and writes bench/results/. */
export interface ScenarioResult {
  /** Stable id, e.g. 'latency', 'saturation-sqlite'. */
  name: string;
  /** One-line heading for the Markdown table. */
  title: string;
  /** Human-readable figures, in order, for the Markdown table. */
  rows: Array<{ label: string; value: string }>;
  /** The raw numbers, for the JSON file. */
  data: Record<string, unknown>;
  /** Goals from issue 7 that this scenario measures: met or not, with the figure. */
  goals?: Array<{ goal: string; met: boolean; figure: string }>;
  /** Set when an invariant broke (lost, doubled, reordered, double assignment): the whole run fails. */
  failed?: string;
}

export interface ScenarioOptions {
  /** `npm run bench -- --quick`: small sizes for a smoke run (CI does not run benches). */
  quick: boolean;
}

export type Scenario = (opts: ScenarioOptions) => Promise<ScenarioResult | ScenarioResult[]>;
