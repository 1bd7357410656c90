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
}

export interface ChatEventsTable {
  chat_id: string;
  seq: number;
  kind: 'message' | 'queued' | 'joined' | 'ended';
  author_kind: 'visitor' | 'agent' | 'system';
  author_id: string | null;
  author_name: string | null;
  body: string | null;
  client_msg_id: string | null;
  ended_by: string | null;
  created_at: number;
}

export interface DB {
  agents: AgentsTable;
  sessions: SessionsTable;
  channels: ChannelsTable;
  channel_agents: ChannelAgentsTable;
  chats: ChatsTable;
  chat_events: ChatEventsTable;
}
