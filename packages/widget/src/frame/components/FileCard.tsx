import { formatFileSize, isImageFile, type FileInfo } from '@loket/protocol';
import { useEffect, useState } from 'preact/hooks';
import { fetchFile, saveFile } from '../files.js';

/** A file in the log: images as a thumbnail, anything else as its name and size; both save on click. */
export function FileCard({ file, token }: { file: FileInfo; token: string }) {
  const image = isImageFile(file.type);
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    if (!image) return;
    let url = '';
    let live = true;
    fetchFile(file.id, token).then(
      (u) => (live ? setSrc((url = u)) : URL.revokeObjectURL(u)),
      () => {},
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [file.id, image, token]);
  const size = formatFileSize(file.size, document.documentElement.lang);
  return (
    <button type="button" class={image ? 'file thumb' : 'file'} data-testid="file" data-type={file.type} onClick={() => void saveFile(file.id, file.name, token).catch(() => {})}>
      {image ? (
        <img src={src} alt={file.name} width={file.width} height={file.height} data-testid="file-thumb" />
      ) : (
        <>
          <span class="file-name">{file.name}</span> <span class="file-size">{size}</span>
        </>
      )}
    </button>
  );
}
