import { FILE_LIMITS, FILE_TYPES } from '@loket/protocol';
import { Kysely, Migrator, PostgresAdapter, sql, type Migration, type MigrationProvider } from 'kysely';

// Migrations are code, not files on disk, so they ship inside the bundle and run at start.
const migrations: Record<string, Migration> = {
  '0001_core': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('agents')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('email', 'varchar(320)', (c) => c.notNull().unique())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('password_hash', 'varchar(300)', (c) => c.notNull())
        .addColumn('role', 'varchar(20)', (c) => c.notNull())
        .addColumn('photo_url', 'varchar(2000)')
        .addColumn('presence', 'varchar(20)', (c) => c.notNull().defaultTo('away'))
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('agent_id', 'varchar(40)', (c) => c.notNull().references('agents.id').onDelete('cascade'))
        .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_agent').on('sessions').column('agent_id').execute();
      await db.schema
        .createTable('channels')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('key', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('language', 'varchar(10)', (c) => c.notNull())
        .addColumn('badge_text', 'varchar(200)', (c) => c.notNull())
        .addColumn('header_text', 'varchar(200)', (c) => c.notNull())
        .addColumn('welcome_message', 'text', (c) => c.notNull())
        .addColumn('queue_message', 'text', (c) => c.notNull())
        .addColumn('color', 'varchar(20)', (c) => c.notNull())
        .addColumn('show_agent_photo', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('prechat_enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('prechat_fields', 'text', (c) => c.notNull())
        .addColumn('allowed_origins', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('channel_agents')
        .addColumn('channel_id', 'varchar(40)', (c) => c.notNull().references('channels.id').onDelete('cascade'))
        .addColumn('agent_id', 'varchar(40)', (c) => c.notNull().references('agents.id').onDelete('cascade'))
        .addColumn('can_respond', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('notifications', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('can_listen', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('manager', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('channel_agents_pk', ['channel_id', 'agent_id'])
        .execute();
      await db.schema.createIndex('channel_agents_agent').on('channel_agents').column('agent_id').execute();
      await db.schema
        .createTable('chats')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('channel_id', 'varchar(40)', (c) => c.notNull().references('channels.id'))
        .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('visitor_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('visitor_email', 'varchar(320)', (c) => c.notNull())
        .addColumn('visitor_fields', 'text', (c) => c.notNull())
        .addColumn('visitor_time_zone', 'varchar(64)')
        .addColumn('visitor_locale', 'varchar(35)')
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'varchar(40)', (c) => c.references('agents.id'))
        .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('agent_read_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_message', 'text')
        .addColumn('last_message_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('claimed_at', 'bigint')
        .addColumn('ended_at', 'bigint')
        .addColumn('ended_by', 'varchar(20)')
        .execute();
      await db.schema.createIndex('chats_queue').on('chats').columns(['channel_id', 'status', 'created_at']).execute();
      await db.schema.createIndex('chats_agent').on('chats').columns(['agent_id', 'status']).execute();
      await db.schema
        .createTable('chat_events')
        .addColumn('chat_id', 'varchar(40)', (c) => c.notNull().references('chats.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('author_kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('author_id', 'varchar(40)')
        .addColumn('author_name', 'varchar(200)')
        .addColumn('body', 'text')
        .addColumn('client_msg_id', 'varchar(64)')
        .addColumn('ended_by', 'varchar(20)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('chat_events_pk', ['chat_id', 'seq'])
        .execute();
      // The dedup guarantee: a resent message can never be stored twice, even under a race.
      await db.schema.createIndex('chat_events_client_msg').on('chat_events').columns(['chat_id', 'client_msg_id']).unique().execute();
    },
  },
  '0002_wait_index': {
    // The average wait shown to waiting visitors reads the channel's most recently claimed chats.
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('chats_claimed').on('chats').columns(['channel_id', 'claimed_at']).execute();
    },
  },
  '0003_end_of_chat': {
    // SQLite takes one ADD COLUMN per ALTER TABLE.
    async up(db: Kysely<unknown>) {
      const addTo = async (table: string, name: string, type: 'integer' | 'text' | 'bigint' | 'varchar(40)', def?: number | string) => {
        await db.schema
          .alterTable(table)
          .addColumn(name, type, (c) => (def === undefined ? c : c.notNull().defaultTo(def)))
          .execute();
      };
      await addTo('channels', 'postchat_enabled', 'integer', 1);
      await addTo('channels', 'postchat_header', 'text', '');
      await addTo('channels', 'postchat_message', 'text', '');
      await addTo('channels', 'postchat_rating', 'integer', 1);
      await addTo('channels', 'postchat_transcript', 'integer', 1);
      await addTo('channels', 'transcript_template_id', 'varchar(40)');
      await addTo('chats', 'rating_score', 'integer');
      await addTo('chats', 'rating_comment', 'text');
      await addTo('chats', 'rated_at', 'bigint');
      await addTo('chats', 'visitor_seen_at', 'bigint', 0);
      await db.updateTable('chats' as never).set({ visitor_seen_at: sql`created_at` } as never).execute();
      // "Back to chat" re-queues a chat: its place in the queue is when it (re-)entered it.
      await addTo('chats', 'queued_at', 'bigint', 0);
      await db.updateTable('chats' as never).set({ queued_at: sql`created_at` } as never).execute();
      await db.schema.createIndex('chats_queue_order').on('chats').columns(['channel_id', 'status', 'queued_at']).execute();
      await db.schema.createIndex('chats_visitor_seen').on('chats').columns(['status', 'visitor_seen_at']).execute();
      await db.schema
        .createTable('reply_templates')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(400)', (c) => c.notNull())
        .addColumn('language', 'varchar(10)', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('builtin_key', 'varchar(40)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('reply_templates_builtin').on('reply_templates').columns(['builtin_key', 'language']).unique().execute();
      await db.schema
        .createTable('emails')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('kind', 'varchar(40)', (c) => c.notNull())
        .addColumn('chat_id', 'varchar(40)')
        .addColumn('from_name', 'varchar(400)', (c) => c.notNull())
        .addColumn('from_address', 'varchar(320)', (c) => c.notNull())
        .addColumn('to_name', 'varchar(400)', (c) => c.notNull())
        .addColumn('to_address', 'varchar(320)', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('text_body', 'text', (c) => c.notNull())
        .addColumn('html_body', 'text', (c) => c.notNull())
        .addColumn('message_id', 'varchar(400)', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('lease_until', 'bigint')
        .addColumn('lease_owner', 'varchar(80)')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('sent_at', 'bigint')
        // A client's id for the request that caused the e-mail: resending the request sends nothing twice.
        .addColumn('dedup_key', 'varchar(160)', (c) => c.unique())
        .execute();
      await db.schema.createIndex('emails_due').on('emails').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('emails_chat').on('emails').columns(['chat_id', 'kind']).execute();
      await db.schema.createIndex('emails_created').on('emails').column('created_at').execute();
    },
  },
  '0004_channel_admin': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('channels')
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
    },
  },
  '0005_agent_photo': {
    // Photos may be inline PNG/JPEG data URLs (up to 200 KB). SQLite does not enforce varchar lengths.
    async up(db: Kysely<unknown>) {
      if (db.getExecutor().adapter instanceof PostgresAdapter) {
        await db.schema.alterTable('agents').alterColumn('photo_url', (c) => c.setDataType('text')).execute();
      }
    },
  },
  '0006_channel_layout_forms': {
    // Widget layout, the pre-chat form's built-in fields, the offline form and the warnings (channel administration).
    async up(db: Kysely<unknown>) {
      const columns: [string, 'text' | 'integer' | 'varchar(40)', string | number | null][] = [
        ['theme', 'text', 'light'],
        ['font', 'text', 'system'],
        ['header_text_color', 'text', 'auto'],
        ['logo', 'text', null],
        ['logo_hash', 'varchar(40)', null],
        ['prechat_message', 'text', ''],
        ['prechat_name', 'text', 'required'],
        ['prechat_email', 'text', 'required'],
        ['prechat_phone', 'text', 'off'],
        ['prechat_company', 'text', 'off'],
        ['faq_suggestions', 'integer', 0],
        ['faq_folder_id', 'varchar(40)', null],
        ['offline_header', 'text', ''],
        ['offline_message', 'text', ''],
        ['offline_requests', 'integer', 1],
        ['offline_category', 'text', ''],
        ['offline_priority', 'text', 'normal'],
        ['offline_name', 'text', 'required'],
        ['offline_phone', 'text', 'off'],
        ['offline_company', 'text', 'off'],
        ['warn_after_seconds', 'integer', null],
        ['manager_warn_after_seconds', 'integer', null],
      ];
      for (const [name, type, fallback] of columns) {
        await db.schema
          .alterTable('channels')
          .addColumn(name, type, (c) => (fallback === null ? c : c.notNull().defaultTo(fallback)))
          .execute();
      }
      // The knowledge base fills this; channels already point their FAQ suggestions at a folder.
      await db.schema
        .createTable('faq_folders')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('parent_id', 'varchar(40)', (c) => c.references('faq_folders.id').onDelete('cascade'))
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  '0007_knowledge_base': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('faqs')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('folder_id', 'varchar(40)', (c) => c.references('faq_folders.id').onDelete('set null'))
        .addColumn('language', 'varchar(8)', (c) => c.notNull())
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('answer', 'text', (c) => c.notNull())
        .addColumn('keywords', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('visibility', 'varchar(20)', (c) => c.notNull().defaultTo('everyone'))
        .addColumn('deflections', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('faqs_folder').on('faqs').column('folder_id').execute();
      // One row per counted "this answered my question": the widget's request id makes a resend count once.
      await db.schema
        .createTable('faq_deflections')
        .addColumn('request_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('faq_id', 'varchar(40)', (c) => c.notNull().references('faqs.id').onDelete('cascade'))
        .addColumn('channel_id', 'varchar(40)', (c) => c.notNull().references('channels.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  '0008_offline_requests_warnings': {
    async up(db: Kysely<unknown>) {
      // JSON OpeningHours; null = none set (always open).
      await db.schema.alterTable('channels').addColumn('opening_hours', 'text').execute();
      // Set once by the warning sweeper's conditional update, so a warning is raised exactly once across nodes.
      await db.schema.alterTable('chats').addColumn('warned_at', 'bigint').execute();
      await db.schema.alterTable('chats').addColumn('manager_warned_at', 'bigint').execute();
      await db.schema
        .createTable('requests')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('public_id', 'varchar(20)', (c) => c.notNull().unique())
        .addColumn('request_key', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('channel_id', 'varchar(40)', (c) => c.notNull().references('channels.id'))
        .addColumn('chat_id', 'varchar(40)', (c) => c.references('chats.id'))
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('priority', 'varchar(10)', (c) => c.notNull())
        .addColumn('status', 'varchar(10)', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('email', 'varchar(320)', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('company', 'text', (c) => c.notNull())
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('ip', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('requests_channel_status').on('requests').columns(['channel_id', 'status']).execute();
      await db.schema
        .createTable('request_replies')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('request_id', 'varchar(40)', (c) => c.notNull().references('requests.id').onDelete('cascade'))
        .addColumn('reply_key', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('agent_id', 'varchar(40)', (c) => c.references('agents.id'))
        .addColumn('agent_name', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('email_id', 'varchar(40)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  '0009_collaboration': {
    async up(db: Kysely<unknown>) {
      // Transfers between agents: a pending one is withdrawn after its deadline by a sweep any node may run.
      await db.schema
        .createTable('chat_transfers')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('chat_id', 'varchar(40)', (c) => c.notNull().references('chats.id'))
        .addColumn('from_agent_id', 'varchar(40)', (c) => c.notNull().references('agents.id'))
        .addColumn('to_agent_id', 'varchar(40)', (c) => c.notNull().references('agents.id'))
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('decided_at', 'bigint')
        .execute();
      // At most one pending transfer per chat, whatever races.
      await sql`create unique index chat_transfers_pending on chat_transfers (chat_id) where status = 'pending'`.execute(db);
      await db.schema.createIndex('chat_transfers_status_expires').on('chat_transfers').columns(['status', 'expires_at']).execute();
      await db.schema.createIndex('chat_transfers_to').on('chat_transfers').columns(['to_agent_id', 'status']).execute();
      // Agents who follow a chat they don't serve (listening in, or a sender who stayed after a transfer).
      await db.schema
        .createTable('chat_listeners')
        .addColumn('chat_id', 'varchar(40)', (c) => c.notNull().references('chats.id'))
        .addColumn('agent_id', 'varchar(40)', (c) => c.notNull().references('agents.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('chat_listeners_pk', ['chat_id', 'agent_id'])
        .execute();
      await db.schema.createIndex('chat_listeners_agent').on('chat_listeners').column('agent_id').execute();
    },
  },
  '0010_files': {
    async up(db: Kysely<unknown>) {
      // Files live in the database (docs/adr/0007-file-storage.md): every node sees them, backups hold them.
      const blob = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
      await db.schema
        .createTable('files')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('chat_id', 'varchar(40)', (c) => c.notNull().references('chats.id'))
        .addColumn('client_file_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'varchar(10)', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('width', 'integer')
        .addColumn('height', 'integer')
        .addColumn('data', sql.raw(blob), (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('files_chat_client').on('files').columns(['chat_id', 'client_file_id']).unique().execute();
      // JSON FileInfo on 'file' events, so replaying a chat needs no join.
      await db.schema.alterTable('chat_events').addColumn('file', 'text').execute();
      // JSON array of FileType; the defaults let every channel take the usual files.
      await db.schema.alterTable('channels').addColumn('file_types', 'text', (c) => c.notNull().defaultTo(JSON.stringify(FILE_TYPES))).execute();
      await db.schema.alterTable('channels').addColumn('file_max_bytes', 'integer', (c) => c.notNull().defaultTo(FILE_LIMITS.defaultMaxBytes)).execute();
    },
  },
  '0011_quick_replies': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('quick_replies')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        // Exactly one of agent_id (personal) and channel_id (shared) is set.
        .addColumn('agent_id', 'varchar(40)', (c) => c.references('agents.id').onDelete('cascade'))
        .addColumn('channel_id', 'varchar(40)', (c) => c.references('channels.id').onDelete('cascade'))
        // 'agent:<id>' or 'channel:<id>': one unique index keeps shortcuts unique per owner, even under a race.
        .addColumn('owner_key', 'varchar(60)', (c) => c.notNull())
        .addColumn('shortcut', 'varchar(200)', (c) => c.notNull())
        // The shortcut case-folded: /Thanks and /thanks are one shortcut.
        .addColumn('shortcut_key', 'varchar(200)', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('quick_replies_owner_shortcut').on('quick_replies').columns(['owner_key', 'shortcut_key']).unique().execute();
    },
  },
  '0012_chat_extras': {
    // Read marks both ways, the visitor's page presence, requests made from a chat. One ADD COLUMN per ALTER (SQLite).
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('chats').addColumn('visitor_read_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('chats').addColumn('visitor_left_at', 'bigint').execute();
      await db.schema.alterTable('requests').addColumn('title', 'text', (c) => c.notNull().defaultTo('')).execute();
      await db.schema.alterTable('requests').addColumn('created_by', 'varchar(40)').execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrate(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    throw new Error(`Database migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`);
  }
}
