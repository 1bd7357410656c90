function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** The visitor's chat token: 32 random bytes, base64url without padding (43 characters). */
export function newChatToken(): string {
  return base64url(randomBytes(32));
}

/** 16 random bytes: unique per message, matches ClientMsgIdSchema. */
export function newClientMsgId(): string {
  return base64url(randomBytes(16));
}
