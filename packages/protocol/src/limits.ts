/** Size limits shared by clients (to warn early) and the server (to enforce). */
export const LIMITS = {
  messageBody: 4000,
  name: 100,
  fieldValue: 500,
  /** RFC 5321 §4.5.3.1: local part 64 octets, domain 255, path 256 incl. brackets → address 254. */
  emailLocal: 64,
  emailDomain: 255,
  emailTotal: 254,
  clientMsgId: 64,
  password: 200,
  ratingComment: 1000,
  postchatHeader: 200,
  postchatMessage: 1000,
  templateName: 100,
  templateSubject: 300,
  templateBody: 20000,
  /** Transcripts one chat may send in all; a per-IP hourly limit applies too. */
  transcriptsPerChat: 3,
} as const;

/** Chat tokens are 32 random bytes, base64url without padding. */
export const CHAT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
