import { inflateRawSync } from 'node:zlib';
import type { FileType } from '@loket/protocol';

/**
 * Decides what a file is from its bytes alone (never its name or declared type), and whether it is
 * whole. Only the types Loket can serve safely are recognised; anything else is 'unknown'.
 */
export type Sniffed =
  | { ok: true; type: FileType; width?: number; height?: number }
  | { ok: false; reason: 'unknown' | 'damaged' };

const unknown: Sniffed = { ok: false, reason: 'unknown' };
const damaged: Sniffed = { ok: false, reason: 'damaged' };

const starts = (b: Buffer, sig: number[], at = 0): boolean => b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (b: Buffer, text: string, at = 0): boolean => b.length >= at + text.length && b.toString('latin1', at, at + text.length) === text;
/** Pixel sizes a browser would show; larger headers are lies or bombs. */
const sane = (w: number, h: number): boolean => w >= 1 && h >= 1 && w <= 30_000 && h <= 30_000;

export function sniff(b: Buffer): Sniffed {
  if (starts(b, PNG_SIGNATURE)) return png(b);
  if (starts(b, [0xff, 0xd8, 0xff])) return jpeg(b);
  if (ascii(b, 'GIF87a') || ascii(b, 'GIF89a')) return gif(b);
  if (ascii(b, 'RIFF') && ascii(b, 'WEBP', 8)) return webp(b);
  if (ascii(b, '%PDF-')) return pdf(b);
  if (starts(b, [0x50, 0x4b, 0x03, 0x04])) return zipOffice(b);
  if (starts(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return compoundOffice(b);
  return text(b);
}

export interface PixelSize {
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A PNG's size from its first chunk, IHDR (also what the channel logo check reads); null if it isn't a PNG. */
export function pngSize(b: Buffer): PixelSize | null {
  if (b.length < 24 || !starts(b, PNG_SIGNATURE) || !ascii(b, 'IHDR', 12)) return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** A JPEG's size from its frame header, found by walking the markers up to the scan; null if there is none. */
export function jpegSize(b: Buffer, end = b.length): PixelSize | null {
  if (!starts(b, [0xff, 0xd8, 0xff])) return null;
  let at = 2;
  while (at + 9 < end) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1] as number;
    if (marker === 0xff) {
      at++;
      continue;
    }
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
    }
    if (marker === 0xda) return null;
    at += 2 + b.readUInt16BE(at + 2);
  }
  return null;
}

/** Walks the chunks: a whole PNG ends with IEND, where the chunk lengths say it does. */
function png(b: Buffer): Sniffed {
  const size = pngSize(b);
  if (!size || !sane(size.width, size.height)) return damaged;
  let at = 8;
  while (at + 12 <= b.length) {
    if (ascii(b, 'IEND', at + 4)) return { ok: true, type: 'png', ...size };
    at += 12 + b.readUInt32BE(at);
  }
  return damaged;
}

/** A whole JPEG ends with the EOI marker (some writers pad after it). */
function jpeg(b: Buffer): Sniffed {
  let end = b.length;
  while (end > 2 && b[end - 1] === 0x00) end--;
  if (!(b[end - 2] === 0xff && b[end - 1] === 0xd9)) return damaged;
  const size = jpegSize(b, end);
  return size && sane(size.width, size.height) ? { ok: true, type: 'jpeg', ...size } : damaged;
}

/** A whole GIF ends with the trailer byte 0x3B. */
function gif(b: Buffer): Sniffed {
  if (b.length < 14 || b[b.length - 1] !== 0x3b) return damaged;
  const width = b.readUInt16LE(6);
  const height = b.readUInt16LE(8);
  return sane(width, height) ? { ok: true, type: 'gif', width, height } : damaged;
}

/** The RIFF header states the file's length; the first chunk the size. */
function webp(b: Buffer): Sniffed {
  if (b.length < 30 || b.readUInt32LE(4) + 8 > b.length) return damaged;
  let width = 0;
  let height = 0;
  if (ascii(b, 'VP8 ', 12)) {
    width = b.readUInt16LE(26) & 0x3fff;
    height = b.readUInt16LE(28) & 0x3fff;
  } else if (ascii(b, 'VP8L', 12)) {
    const bits = b.readUInt32LE(21);
    width = (bits & 0x3fff) + 1;
    height = ((bits >> 14) & 0x3fff) + 1;
  } else if (ascii(b, 'VP8X', 12)) {
    width = b.readUIntLE(24, 3) + 1;
    height = b.readUIntLE(27, 3) + 1;
  } else {
    return damaged;
  }
  return sane(width, height) ? { ok: true, type: 'webp', width, height } : damaged;
}

/** A whole PDF has its end-of-file marker near the end. */
function pdf(b: Buffer): Sniffed {
  return b.toString('latin1', Math.max(0, b.length - 1024)).includes('%%EOF') ? { ok: true, type: 'pdf' } : damaged;
}

const OOXML: Record<string, FileType> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml': 'pptx',
};
const ODF: Record<string, FileType> = {
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
};

/**
 * Office documents are ZIP containers, and so is every other archive: only a container whose
 * declared content types (OOXML's [Content_Types].xml, ODF's mimetype) name a document we accept
 * passes. Macro-enabled variants (docm, xlsm…) declare other main types and so are refused.
 */
function zipOffice(b: Buffer): Sniffed {
  const entries = zipEntries(b);
  if (!entries) return damaged;
  const mimetype = entries.get('mimetype');
  if (mimetype !== undefined) {
    const content = readEntry(b, mimetype);
    if (content === null) return damaged;
    const type = ODF[content.toString('latin1').trim()];
    return type && !entries.has('Basic/script-lc.xml') ? { ok: true, type } : unknown;
  }
  const types = entries.get('[Content_Types].xml');
  if (types === undefined) return unknown;
  const content = readEntry(b, types);
  if (content === null) return damaged;
  const xml = content.toString('utf8');
  if (/vbaProject|macroEnabled/i.test(xml)) return unknown;
  const found = [...xml.matchAll(/ContentType="([^"]+)"/g)].map((m) => OOXML[m[1] as string]).filter((t): t is FileType => t !== undefined);
  const type = found[0];
  return type !== undefined && found.every((t) => t === type) ? { ok: true, type } : unknown;
}

interface ZipEntry {
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** The central directory, which sits at the end: a truncated archive has none. */
function zipEntries(b: Buffer): Map<string, ZipEntry> | null {
  let eocd = -1;
  for (let at = b.length - 22; at >= Math.max(0, b.length - 22 - 0xffff); at--) {
    if (b.readUInt32LE(at) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = b.readUInt16LE(eocd + 10);
  let at = b.readUInt32LE(eocd + 16);
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    if (at + 46 > b.length || b.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = b.readUInt16LE(at + 28);
    const extra = b.readUInt16LE(at + 30);
    const comment = b.readUInt16LE(at + 32);
    const name = b.toString('utf8', at + 46, at + 46 + nameLength);
    entries.set(name, { method: b.readUInt16LE(at + 10), compressedSize: b.readUInt32LE(at + 20), localOffset: b.readUInt32LE(at + 42) });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

/** One small entry's content (stored or deflated), at most 1 MiB; null if it can't be read. */
function readEntry(b: Buffer, e: ZipEntry): Buffer | null {
  const at = e.localOffset;
  if (at + 30 > b.length || b.readUInt32LE(at) !== 0x04034b50) return null;
  const start = at + 30 + b.readUInt16LE(at + 26) + b.readUInt16LE(at + 28);
  const data = b.subarray(start, start + e.compressedSize);
  if (data.length !== e.compressedSize) return null;
  try {
    if (e.method === 0) return data.subarray(0, 1024 * 1024);
    if (e.method === 8) return inflateRawSync(data, { maxOutputLength: 1024 * 1024 });
  } catch {
    return null;
  }
  return null;
}

/**
 * Legacy Word and Excel files are OLE compound files; so are many other things. Only one whose
 * directory holds a WordDocument or Workbook stream, and no macros, passes.
 */
function compoundOffice(b: Buffer): Sniffed {
  if (b.length < 512) return damaged;
  const sectorSize = 1 << b.readUInt16LE(30);
  if (sectorSize !== 512 && sectorSize !== 4096) return damaged;
  const sector = (n: number) => (n + 1) * sectorSize;
  const fat: number[] = [];
  for (let i = 0; i < 109; i++) {
    const fatSector = b.readUInt32LE(76 + i * 4);
    if (fatSector >= 0xfffffffa) break;
    for (let at = sector(fatSector); at < sector(fatSector) + sectorSize && at + 4 <= b.length; at += 4) fat.push(b.readUInt32LE(at));
  }
  const names = new Set<string>();
  let dir = b.readUInt32LE(48);
  for (let hops = 0; dir < 0xfffffffa && hops < 10_000; hops++) {
    const start = sector(dir);
    if (start + sectorSize > b.length) return damaged;
    for (let at = start; at < start + sectorSize; at += 128) {
      const length = b.readUInt16LE(at + 64);
      if (length >= 2 && length <= 64) names.add(b.toString('utf16le', at, at + length - 2));
    }
    dir = fat[dir] ?? 0xfffffffe;
  }
  if (names.has('Macros') || names.has('_VBA_PROJECT_CUR') || names.has('VBA')) return unknown;
  if (names.has('WordDocument')) return { ok: true, type: 'doc' };
  if (names.has('Workbook') || names.has('Book')) return { ok: true, type: 'xls' };
  return unknown;
}

const MARKUP = /^\s*<(?:!doctype|html|svg|\?xml|script|body|head|iframe|!--)/i;

/**
 * Plain text is valid UTF-8 without control characters other than tab, newlines and form feed.
 * Markup (HTML, SVG, XML) and scripts with a #! line are text too, but never accepted as such.
 */
function text(b: Buffer): Sniffed {
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return unknown;
  }
  // eslint-disable-next-line no-control-regex -- control characters are what tells text from binary.
  if (/[\u0000-\u0008\u000e-\u001f\u007f]/.test(decoded)) return unknown;
  const head = decoded.replace(/^\uFEFF/, '').slice(0, 1024);
  if (MARKUP.test(head) || head.startsWith('#!') || /<svg[\s>]|<script[\s>]|<html[\s>]/i.test(decoded.slice(0, 64 * 1024))) return unknown;
  return { ok: true, type: 'text' };
}
