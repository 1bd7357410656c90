import { fileUrl, formatFileSize, isImageFile, type FileInfo } from '@loket/protocol';
import type { Translate } from '../i18n/index.js';

/**
 * A file in a conversation. The console is on Loket's origin, so its session cookie goes with the
 * plain URL: an image is a thumbnail linking to itself, anything else a download with name and size.
 */
export function ChatFile({ file, lang, t }: { file: FileInfo; lang: string; t: Translate }) {
  const size = formatFileSize(file.size, lang);
  const url = fileUrl(file.id);
  return (
    <a class={isImageFile(file.type) ? 'chat-file thumb' : 'chat-file'} href={url} download={file.name} data-testid="file" data-type={file.type} title={t('files.download', { name: file.name, size })}>
      {isImageFile(file.type) ? (
        <img src={url} alt={file.name} width={file.width} height={file.height} />
      ) : (
        <>
          <span class="file-name">{file.name}</span> <span class="file-size">{size}</span>
        </>
      )}
    </a>
  );
}
