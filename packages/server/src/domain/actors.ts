import type { AgentsTable } from '../db/schema.js';

/** Who is acting. Visitors are known only by the chat their token opens. */
export type Actor = VisitorActor | AgentActor;
export interface VisitorActor {
  kind: 'visitor';
  chatId: string;
}
export interface AgentActor {
  kind: 'agent';
  agent: AgentsTable;
  sessionId: string;
}
