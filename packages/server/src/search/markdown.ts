/**
 * Markdown → plain text for indexing only. Nothing here is ever rendered, so it need not be a parser: it drops the
 * markup characters and keeps the words (link texts yes, URLs no), with linear-time regular expressions only.
 */
export function stripMarkdown(markdown: string): string {
  return (
    markdown
      // Fenced-code markers and HTML tags: keep what is between them, lose the markup.
      .replace(/^\s*(```|~~~).*$/gm, ' ')
      .replace(/<[^<>\n]{0,200}>/g, ' ')
      // Images and links: the visible text counts, the address does not.
      .replace(/!\[([^\]\n]*)\]\([^)\n]*\)/g, '$1')
      .replace(/\[([^\]\n]*)\]\([^)\n]*\)/g, '$1')
      .replace(/\[([^\]\n]*)\]\[[^\]\n]*\]/g, '$1')
      .replace(/^\s*\[[^\]\n]+\]:\s*\S+.*$/gm, ' ')
      // Bare URLs are noise for matching.
      .replace(/\bhttps?:\/\/\S+/g, ' ')
      // Headings, quotes, list bullets, table pipes, emphasis and code ticks.
      .replace(/^\s{0,3}(#{1,6}|>+|[-*+]|\d+[.)])\s+/gm, ' ')
      .replace(/[|*_`~]+/g, ' ')
      .replace(/&(nbsp|amp|lt|gt|quot|#39);/g, ' ')
  );
}
