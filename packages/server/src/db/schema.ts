import type { FileType } from '@loket/protocol';

/**
 * Table shapes for Kysely. One code path over SQLite and PostgreSQL, so only portable types:
 * times are epoch milliseconds (bigint), booleans are 0/1 integers, JSON is text.
 */
export interface AgentsTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: 'admin' | 'agent';
  photo_url: string | null;
  presence: 'present' | 'away';
  active: number;
  created_at: number;
}

export interface SessionsTable {
  /** sha256 of the cookie's token: a leaked database holds no usable session. */
  id: string;
  agent_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface ChannelsTable {
  id: string;
  key: string;
  name: string;
  language: string;
  badge_text: string;
  header_text: string;
  welcome_message: string;
  queue_message: string;
  color: string;
  show_agent_photo: number;
  prechat_enabled: number;
  /** JSON array of PrechatField. */
  prechat_fields: string;
  /** JSON array of origins allowed to embed the channel. */
  allowed_origins: string;
  created_at: number;
  postchat_enabled: number;
  /** '' = the widget's own translated default. */
  postchat_header: string;
  postchat_message: string;
  postchat_rating: number;
  postchat_transcript: number;
  /** null = the built-in transcript template in the channel's language. */
  transcript_template_id: string | null;
  /** Internal note for administrators; never shown to visitors. */
  description: string;
  theme: 'light' | 'dark' | 'system';
  font: string;
  /** 'auto' or #rrggbb with at least 4.5:1 on `color`. */
  header_text_color: string;
  /** data: URL of the logo (PNG, JPEG or sanitised SVG), or null. */
  logo: string | null;
  /** Short hash of `logo`, part of its URL so a new logo is never served from cache. */
  logo_hash: string | null;
  prechat_message: string;
  /** FieldMode: 'off' | 'optional' | 'required'. */
  prechat_name: string;
  prechat_email: string;
  prechat_phone: string;
  prechat_company: string;
  faq_suggestions: number;
  faq_folder_id: string | null;
  offline_header: string;
  offline_message: string;
  offline_requests: number;
  offline_category: string;
  offline_priority: string;
  offline_name: string;
  offline_phone: string;
  offline_company: string;
  warn_after_seconds: number | null;
  manager_warn_after_seconds: number | null;
  /** JSON OpeningHours, or null (none set: always open). */
  opening_hours: string | null;
  /** JSON array of FileType the chats of this channel accept (docs/files.md). */
  file_types: string;
  file_max_bytes: number;
}

export interface RequestsTable {
  id: string;
  /** Human-readable, e.g. LK-4821-7QX (REQUEST_PUBLIC_ID_PATTERN). */
  public_id: string;
  /** The widget's idempotency key: a resend returns the same request. */
  request_key: string;
  channel_id: string;
  chat_id: string | null;
  category: string;
  priority: string;
  status: 'open' | 'pending' | 'closed';
  name: string;
  email: string;
  phone: string;
  company: string;
  question: string;
  ip: string;
  created_at: number;
  updated_at: number;
  /** Given by the agent who made it from a chat; '' for requests from the offline form. */
  title: string;
  /** The agent who made it from a chat; null for requests from the offline form. */
  created_by: string | null;
}

export interface RequestRepliesTable {
  id: string;
  request_id: string;
  reply_key: string;
  agent_id: string | null;
  agent_name: string;
  body: string;
  email_id: string | null;
  created_at: number;
}

export interface FaqsTable {
  id: string;
  folder_id: string | null;
  language: string;
  question: string;
  /** Markdown. */
  answer: string;
  /** JSON array of strings. */
  keywords: string;
  published: number;
  visibility: 'everyone' | 'logged_in';
  deflections: number;
  created_at: number;
  updated_at: number;
}

export interface FaqDeflectionsTable {
  request_id: string;
  faq_id: string;
  channel_id: string;
  created_at: number;
}

export interface FaqFoldersTable {
  id: string;
  parent_id: string | null;
  name: string;
  created_at: number;
}

export interface ChannelAgentsTable {
  channel_id: string;
  agent_id: string;
  can_respond: number;
  notifications: number;
  can_listen: number;
  manager: number;
}

export interface ChatsTable {
  id: string;
  channel_id: string;
  /** sha256 of the visitor's chat token. */
  token_hash: string;
  status: 'waiting' | 'active' | 'ended';
  visitor_name: string;
  visitor_email: string;
  /** JSON object of the pre-chat form's other fields. */
  visitor_fields: string;
  visitor_time_zone: string | null;
  visitor_locale: string | null;
  question: string;
  agent_id: string | null;
  /** Highest seq in chat_events; bumped under the row lock to number events without gaps. */
  last_seq: number;
  agent_read_seq: number;
  last_message: string | null;
  last_message_at: number | null;
  created_at: number;
  claimed_at: number | null;
  ended_at: number | null;
  ended_by: string | null;
  rating_score: number | null;
  rating_comment: string | null;
  rated_at: number | null;
  /**
   * Last time a node saw the visitor's chat window connected (at connect, then by a periodic
   * heartbeat). A sweeper ends open chats not seen for longer than the grace period.
   */
  visitor_seen_at: number;
  /** When the chat (last) entered the queue: created_at, or the moment of "Back to chat". */
  queued_at: number;
  /** When the unanswered-chat warning went out (null = not yet); set once across nodes by a conditional update. */
  warned_at: number | null;
  manager_warned_at: number | null;
  /** The customer has seen the chat up to this seq (the agent's "Seen" mark). */
  visitor_read_seq: number;
  /** When the last chat window of the visitor closed (left the page); null while one is open. */
  visitor_left_at: number | null;
}

export interface ChatEventsTable {
  chat_id: string;
  seq: number;
  kind: 'message' | 'queued' | 'joined' | 'ended' | 'reopened' | 'file' | 'note';
  author_kind: 'visitor' | 'agent' | 'system';
  author_id: string | null;
  author_name: string | null;
  body: string | null;
  client_msg_id: string | null;
  ended_by: string | null;
  created_at: number;
  /** JSON FileInfo of a 'file' event. */
  file?: string | null;
}

export interface ReplyTemplatesTable {
  id: string;
  name: string;
  language: string;
  subject: string;
  body: string;
  /** For shipped templates: which one ('transcript'), so upgrades can find them; null for admins' own. */
  builtin_key: string | null;
  created_at: number;
  updated_at: number;
}

/**
 * The durable outbox. A row is claimed for sending with a lease (status 'sending', lease_until);
 * see docs/email.md for the delivery guarantees.
 */
export interface EmailsTable {
  id: string;
  kind: 'transcript' | 'request_confirmation' | 'request_reply' | 'other';
  chat_id: string | null;
  from_name: string;
  from_address: string;
  to_name: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  /** Stable across retries, so a receiver can recognise a resend. */
  message_id: string;
  status: 'queued' | 'sending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  lease_owner: string | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  /** `<chat id>:<client request id>` when a client may resend the request; unique. */
  dedup_key: string | null;
}

/** An uploaded file; its bytes live here too (docs/adr/0007-file-storage.md). */
export interface FilesTable {
  /** Unguessable (128 random bits): part of the download URL. */
  id: string;
  chat_id: string;
  client_file_id: string;
  name: string;
  type: FileType;
  size: number;
  width: number | null;
  height: number | null;
  data: Buffer;
  created_at: number;
}

export interface DB {
  agents: AgentsTable;
  sessions: SessionsTable;
  channels: ChannelsTable;
  faq_folders: FaqFoldersTable;
  faqs: FaqsTable;
  faq_deflections: FaqDeflectionsTable;
  requests: RequestsTable;
  request_replies: RequestRepliesTable;
  channel_agents: ChannelAgentsTable;
  chats: ChatsTable;
  chat_events: ChatEventsTable;
  reply_templates: ReplyTemplatesTable;
  emails: EmailsTable;
  files: FilesTable;
  chat_transfers: ChatTransfersTable;
  chat_listeners: ChatListenersTable;
  quick_replies: QuickRepliesTable;
}

export interface ChatTransfersTable {
  id: string;
  chat_id: string;
  from_agent_id: string;
  to_agent_id: string;
  note: string;
  status: 'pending' | 'accepted' | 'rejected' | 'cancelled' | 'expired';
  created_at: number;
  expires_at: number;
  decided_at: number | null;
}

export interface ChatListenersTable {
  chat_id: string;
  agent_id: string;
  created_at: number;
}

/** Quick replies: personal (agent_id) or shared by a channel (channel_id); docs/quick-replies.md. */
export interface QuickRepliesTable {
  id: string;
  agent_id: string | null;
  channel_id: string | null;
  owner_key: string;
  shortcut: string;
  shortcut_key: string;
  text: string;
  created_at: number;
  updated_at: number;
}
