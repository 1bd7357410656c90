import { FILE_LIMITS } from '@loket/protocol';
import { AppError } from '../errors.js';

/**
 * A file name as shown to the other side and offered when saving. Browsers send bare names, so a
 * name with a path in it (`../x`, `C:\x`) is refused rather than guessed at; control and
 * bidirectional-override characters go (they can disguise an extension), and a long name is
 * shortened keeping its extension.
 */
export function cleanFileName(raw: string): string {
  if (/[/\\]/.test(raw)) throw new AppError('file_name_invalid', 'name');
  const name = raw
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point.
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (name === '' || /^\.+$/.test(name)) throw new AppError('file_name_invalid', 'name');
  const chars = [...name];
  if (chars.length <= FILE_LIMITS.name) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  return [...name.slice(0, name.length - ext.length)].slice(0, FILE_LIMITS.name - ext.length).join('').trimEnd() + ext;
}

/** For Content-Disposition: an ASCII fallback and the RFC 5987 UTF-8 form. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
