import { fileUrl } from '@loket/protocol';

/**
 * Files are served only with the chat's token, which an <img src> cannot send: the chat window
 * fetches them itself and shows or saves the blob.
 */
export async function fetchFile(id: string, token: string): Promise<string> {
  const res = await fetch(fileUrl(id), { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(String(res.status));
  return URL.createObjectURL(await res.blob());
}

/** Saves the file under its own name. */
export async function saveFile(id: string, name: string, token: string): Promise<void> {
  const a = document.createElement('a');
  a.href = await fetchFile(id, token);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}
