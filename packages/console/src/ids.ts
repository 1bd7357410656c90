/**
 * Random ids for clientMsgId and rid. getRandomValues works in non-secure contexts too
 * (crypto.randomUUID does not), e.g. a console opened over plain HTTP on a LAN address.
 */
export function randomId(bytes = 16): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  let s = '';
  for (const b of buf) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
