import * as z from 'zod/mini';
import { LanguageSchema } from './model.js';

/**
 * Channel administration under /api/admin/channels (administrators only; X-CSRF-Token on writes).
 * Texts are stored exactly as typed and the widget shows them as text, never as HTML.
 */

export const CHANNEL_TEXT_LIMITS = {
  name: 200,
  key: 64,
  badgeText: 200,
  headerText: 200,
  welcomeMessage: 2000,
  queueMessage: 1000,
  description: 2000,
} as const;

/** Variables a queue message may use. {cque} and {cavw} are SuperOffice's names for the same two. */
export const QUEUE_MESSAGE_VARIABLES = ['position', 'wait', 'cque', 'cavw'] as const;

/** The `{name}` variables in a text that are not queue-message variables (empty = valid). */
export function unknownQueueVariables(text: string): string[] {
  const found = [...text.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1] ?? '');
  return found.filter((v) => !(QUEUE_MESSAGE_VARIABLES as readonly string[]).includes(v));
}

/** A channel key: lower-case letters, digits and single dashes, 2–64 characters (it is in the embed snippet). */
export const CHANNEL_KEY_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){1,63}$/;

const text = (max: number) => z.string().check(z.maxLength(max));
const required = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const NewChannelInputSchema = z.strictObject({
  name: required(CHANNEL_TEXT_LIMITS.name),
  key: z.string().check(z.trim(), z.toLowerCase(), z.regex(CHANNEL_KEY_PATTERN)),
  language: LanguageSchema,
});
export type NewChannelInput = z.infer<typeof NewChannelInputSchema>;

export const ChannelPropertiesSchema = z.strictObject({
  name: required(CHANNEL_TEXT_LIMITS.name),
  language: LanguageSchema,
  badgeText: required(CHANNEL_TEXT_LIMITS.badgeText),
  headerText: required(CHANNEL_TEXT_LIMITS.headerText),
  welcomeMessage: text(CHANNEL_TEXT_LIMITS.welcomeMessage),
  /** Variables: {position}, {wait} (hh:mm), {cque}, {cavw}; any other {variable} is refused. */
  queueMessage: z.string().check(
    z.maxLength(CHANNEL_TEXT_LIMITS.queueMessage),
    z.refine((v) => unknownQueueVariables(v).length === 0),
  ),
  /** Internal: only administrators see it. */
  description: text(CHANNEL_TEXT_LIMITS.description),
  prechatEnabled: z.boolean(),
});
export type ChannelProperties = z.infer<typeof ChannelPropertiesSchema>;

/** Each exactly scheme://host[:port] (http or https); the server normalises and removes duplicates. */
export const ChannelOriginsInputSchema = z.strictObject({
  origins: z.array(z.string().check(z.maxLength(300))).check(z.maxLength(100)),
});
export type ChannelOriginsInput = z.infer<typeof ChannelOriginsInputSchema>;

export const ChannelPermissionsSchema = z.strictObject({
  canRespond: z.boolean(),
  notifications: z.boolean(),
  canListen: z.boolean(),
  manager: z.boolean(),
});
export type ChannelPermissions = z.infer<typeof ChannelPermissionsSchema>;

export const ChannelAgentInputSchema = z.strictObject({
  agentId: z.string().check(z.minLength(1), z.maxLength(40)),
  ...ChannelPermissionsSchema.shape,
});
export type ChannelAgentInput = z.infer<typeof ChannelAgentInputSchema>;

/** PUT /api/admin/channels/:id/agents replaces the whole list. */
export const ChannelAgentsInputSchema = z.strictObject({
  agents: z.array(ChannelAgentInputSchema).check(z.maxLength(1000)),
});
export type ChannelAgentsInput = z.infer<typeof ChannelAgentsInputSchema>;

export const ChannelAgentSchema = z.strictObject({
  agentId: z.string(),
  name: z.string(),
  email: z.string(),
  ...ChannelPermissionsSchema.shape,
});
export type ChannelAgent = z.infer<typeof ChannelAgentSchema>;

export const AvailableAgentSchema = z.strictObject({ id: z.string(), name: z.string(), email: z.string() });
export type AvailableAgent = z.infer<typeof AvailableAgentSchema>;

/** GET/PUT /api/admin/channels/:id/agents: the channel's agents, and every active agent that could be added. */
export const ChannelAgentListSchema = z.strictObject({
  agents: z.array(ChannelAgentSchema),
  available: z.array(AvailableAgentSchema),
});
export type ChannelAgentList = z.infer<typeof ChannelAgentListSchema>;
