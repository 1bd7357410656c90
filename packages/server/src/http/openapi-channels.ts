import {
  AdminChannelListSchema,
  AdminChannelSchema,
  ChannelAgentListSchema,
  ChannelAgentsInputSchema,
  ChannelLayoutInputSchema,
  ChannelOfflineInputSchema,
  ChannelPrechatInputSchema,
  FaqFolderListSchema,
  ChannelOriginsInputSchema,
  ChannelPostchatSettingsSchema,
  ChannelPropertiesSchema,
  ErrorBodySchema,
  NewChannelInputSchema,
  OpeningHoursSchema,
  AvailabilitySchema,
} from '@loket/protocol';
import * as z from 'zod/mini';

type Schema = z.ZodMiniType;
const json = (schema: Schema) => ({ 'application/json': { schema: z.toJSONSchema(schema, { target: 'openapi-3.0' }) } });
const error = { description: 'Error (see docs/errors.md)', content: json(ErrorBodySchema) };

/** Administrators' channel settings (http/admin-routes.ts, docs/channels.md). */
export function adminChannelPaths(): Record<string, unknown> {
  const admin = [{ session: [] }];
  const adminWrite = [{ session: [], csrf: [] }];
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const denied = { 401: error, 403: error };
  const put = (summary: string, input: Schema, output: Schema) => ({
    summary,
    security: adminWrite,
    parameters: [idParam],
    requestBody: { required: true, content: json(input) },
    responses: { 200: { description: 'Saved', content: json(output) }, 404: error, 422: error, ...denied },
  });
  return {
    '/api/admin/channels': {
      get: { summary: 'All channels with their settings and embed snippets', security: admin, responses: { 200: { description: 'Channels', content: json(AdminChannelListSchema) }, ...denied } },
      post: {
        summary: 'Create a channel (409 channel_key_taken when the key is in use)',
        security: adminWrite,
        requestBody: { required: true, content: json(NewChannelInputSchema) },
        responses: { 201: { description: 'Created', content: json(AdminChannelSchema) }, 409: error, 422: error, ...denied },
      },
    },
    '/api/admin/channels/{id}': {
      delete: { summary: 'Delete a channel that has no chats (409 channel_in_use otherwise)', security: adminWrite, parameters: [idParam], responses: { 204: { description: 'Deleted' }, 404: error, 409: error, ...denied } },
    },
    '/api/admin/channels/{id}/properties': { put: put('Name, language, texts, description, unanswered-chat warnings (the manager warning after the agent warning)', ChannelPropertiesSchema, AdminChannelSchema) },
    '/api/admin/channels/{id}/prechat': {
      put: put('The pre-chat form: on/off, message, built-in field modes, custom fields (errors name the path, e.g. fields.2.options), FAQ suggestions', ChannelPrechatInputSchema, AdminChannelSchema),
    },
    '/api/admin/channels/{id}/offline': { put: put('The offline form: header, message, requests, their category and priority, field modes', ChannelOfflineInputSchema, AdminChannelSchema) },
    '/api/admin/faq-folders': {
      get: { summary: 'FAQ folders a channel can take suggestions from', security: admin, responses: { 200: { description: 'Folders', content: json(FaqFolderListSchema) }, ...denied } },
    },
    '/api/admin/channels/{id}/origins': { put: put('Origins allowed to embed the channel (normalised, duplicates removed)', ChannelOriginsInputSchema, AdminChannelSchema) },
    '/api/admin/channels/{id}/postchat': { put: put('The post-chat form', ChannelPostchatSettingsSchema, AdminChannelSchema) },
    '/api/admin/channels/{id}/availability': {
      get: {
        summary: 'What the chat window would be told now: open or closed, the next opening, the coming week (docs/availability.md)',
        security: admin,
        parameters: [idParam],
        responses: { 200: { description: 'Availability', content: json(AvailabilitySchema) }, 404: error, ...denied },
      },
    },
    '/api/admin/channels/{id}/availability-preview': {
      post: {
        summary: 'The availability unsaved opening hours would give now (the live preview); nothing is stored',
        security: adminWrite,
        parameters: [idParam],
        requestBody: { required: true, content: json(OpeningHoursSchema) },
        responses: { 200: { description: 'Availability', content: json(AvailabilitySchema) }, 404: error, 422: error, ...denied },
      },
    },
    '/api/admin/channels/{id}/opening-hours': {
      put: put('Opening hours: time zone, weekly intervals (past midnight allowed), dated exceptions (errors name the path, e.g. week.mon.1.to, exceptions.2.date)', OpeningHoursSchema, AdminChannelSchema),
    },
    '/api/admin/channels/{id}/layout': { put: put('Widget layout: theme, colour, header text colour (own colour must reach 4.5:1), font, agent photo', ChannelLayoutInputSchema, AdminChannelSchema) },
    '/api/admin/channels/{id}/logo': {
      put: {
        summary: 'Upload the logo: the raw PNG, JPEG or SVG (sanitised; refused when it holds scripts or external references), at most 100 KB',
        security: adminWrite,
        parameters: [idParam],
        requestBody: { required: true, content: { 'image/png': { schema: { type: 'string', format: 'binary' } }, 'image/jpeg': { schema: { type: 'string', format: 'binary' } }, 'image/svg+xml': { schema: { type: 'string', format: 'binary' } } } },
        responses: { 200: { description: 'Saved', content: json(AdminChannelSchema) }, 404: error, 422: error, ...denied },
      },
      delete: { summary: 'Remove the logo', security: adminWrite, parameters: [idParam], responses: { 200: { description: 'Removed', content: json(AdminChannelSchema) }, 404: error, ...denied } },
    },
    '/api/admin/channels/{id}/agents': {
      get: { summary: "The channel's agents with permissions, and all active agents", security: admin, parameters: [idParam], responses: { 200: { description: 'Agents', content: json(ChannelAgentListSchema) }, 404: error, ...denied } },
      put: put('Replace the agents and their permissions', ChannelAgentsInputSchema, ChannelAgentListSchema),
    },
  };
}
