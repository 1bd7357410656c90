/** ENTER sends; Shift+ENTER is a newline; ENTER that confirms an IME composition is neither. */
export function isSendKey(e: KeyboardEvent): boolean {
  return e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229;
}
