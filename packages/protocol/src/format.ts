/** Formats seconds as hh:mm (the spec's format for average waiting time). Rounds up to whole minutes. */
export function formatWait(seconds: number | null): string {
  if (seconds === null) return '--:--';
  const minutes = Math.ceil(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/**
 * Fills a channel's queue message. Variables: {position} and {wait} (hh:mm); SuperOffice's
 * {cque} (position) and {cavw} (average wait) are accepted as synonyms so imported texts work.
 */
export function formatQueueMessage(template: string, position: number, avgWaitSeconds: number | null): string {
  const wait = formatWait(avgWaitSeconds);
  return template.replace(/\{(position|cque|wait|cavw)\}/g, (_m, name: string) =>
    name === 'position' || name === 'cque' ? String(position) : wait,
  );
}
