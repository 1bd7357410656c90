import * as z from 'zod/mini';

/**
 * Files in chats (docs/files.md). A file's type is what its content is, decided by the server from
 * the bytes; these are the types a channel may allow. Everything else (SVG, HTML, executables,
 * archives, macro-enabled office files) is always refused.
 */
export const FILE_TYPES = ['png', 'jpeg', 'gif', 'webp', 'pdf', 'text', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'doc', 'xls'] as const;
export const FileTypeSchema = z.enum(FILE_TYPES);
export type FileType = z.infer<typeof FileTypeSchema>;

/** The media type a file of each type is served as. */
export const FILE_MIME: Record<FileType, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  text: 'text/plain; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
};

export const IMAGE_FILE_TYPES: readonly FileType[] = ['png', 'jpeg', 'gif', 'webp'];
export const isImageFile = (type: FileType): boolean => IMAGE_FILE_TYPES.includes(type);

export const FILE_LIMITS = {
  /** The most an administrator may allow per file: files live in the database (docs/adr/0007-file-storage.md). */
  maxBytesCeiling: 25 * 1024 * 1024,
  defaultMaxBytes: 10 * 1024 * 1024,
  /** Characters kept of a file's name (the extension survives shortening). */
  name: 120,
} as const;

/** What a channel accepts; administrators set it in the channel settings. No types = files off. */
export const ChannelFileSettingsSchema = z.strictObject({
  allowedTypes: z.array(FileTypeSchema).check(z.maxLength(FILE_TYPES.length)),
  maxBytes: z.number().check(z.int(), z.minimum(1024), z.maximum(FILE_LIMITS.maxBytesCeiling)),
});
export type ChannelFileSettings = z.infer<typeof ChannelFileSettingsSchema>;

export const DEFAULT_FILE_SETTINGS: ChannelFileSettings = { allowedTypes: [...FILE_TYPES], maxBytes: FILE_LIMITS.defaultMaxBytes };

/** A file as chat events carry it. `id` is unguessable and part of its download URL (fileUrl). */
export const FileInfoSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  size: z.number().check(z.int(), z.minimum(1)),
  type: FileTypeSchema,
  /** Pixel size of images, when the header tells it. */
  width: z.optional(z.number().check(z.int(), z.minimum(1))),
  height: z.optional(z.number().check(z.int(), z.minimum(1))),
});
export type FileInfo = z.infer<typeof FileInfoSchema>;

/** Agents fetch it with their session cookie, visitors with `Authorization: Bearer <chat token>`. */
export const fileUrl = (fileId: string): string => `/api/files/${encodeURIComponent(fileId)}`;

/** 1 258 291 → "1.2 MB" in the reader's locale (binary units, as file managers count). */
export function formatFileSize(bytes: number, locale?: string): string {
  const units = ['byte', 'kilobyte', 'megabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return new Intl.NumberFormat(locale, { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
}
