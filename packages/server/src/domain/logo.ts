import { createHash } from 'node:crypto';
import { LOGO_MAX_BYTES, LOGO_TYPES } from '@loket/protocol';
import { AppError } from './errors.js';
import { jpegSize, pngSize } from './files/sniff.js';
import { sanitiseSvg } from './logo-svg.js';

/** A checked logo, ready to store: its data: URL and the short hash that versions its URL. */
export interface Logo {
  dataUrl: string;
  hash: string;
}

type LogoType = (typeof LOGO_TYPES)[number];

/** Far beyond any header logo; refusing it keeps decompression bombs out of every visitor's browser. */
export const LOGO_MAX_PIXELS = 4096;

const refuse = (detail: string): AppError => new AppError('validation_failed', 'logo', undefined, detail);

function isLogoType(type: string): type is LogoType {
  return (LOGO_TYPES as readonly string[]).includes(type);
}

/**
 * Checks an uploaded logo: declared type, size, magic bytes (PNG/JPEG) and pixel size; an SVG is sanitised and
 * refused when anything dangerous had to be removed. Every refusal is `validation_failed` on field `logo`.
 */
export function checkLogo(contentType: string, bytes: Buffer): Logo {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!isLogoType(type)) throw refuse('not a PNG, JPEG or SVG image');
  if (bytes.length === 0) throw refuse('the file is empty');
  if (bytes.length > LOGO_MAX_BYTES) throw refuse(`${Math.ceil(bytes.length / 1000)} KB, at most ${LOGO_MAX_BYTES / 1000} KB`);
  let stored = bytes;
  if (type === 'image/svg+xml') {
    stored = Buffer.from(sanitiseSvg(bytes.toString('utf8')), 'utf8');
  } else {
    const size = type === 'image/png' ? pngSize(bytes) : jpegSize(bytes);
    if (!size) throw refuse(`the file is not a ${type === 'image/png' ? 'PNG' : 'JPEG'} image`);
    if (size.width < 1 || size.height < 1 || size.width > LOGO_MAX_PIXELS || size.height > LOGO_MAX_PIXELS) {
      throw refuse(`${size.width}×${size.height} pixels, at most ${LOGO_MAX_PIXELS}×${LOGO_MAX_PIXELS}`);
    }
  }
  return {
    dataUrl: `data:${type};base64,${stored.toString('base64')}`,
    hash: createHash('sha256').update(type).update(stored).digest('hex').slice(0, 16),
  };
}
