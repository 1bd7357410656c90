// What `import x from './locales/<lang>.js?icu'` gives (tools/vite-plugin-messageformat.ts):
// every message compiled to a function of its ICU arguments.
declare module '*?icu' {
  const messages: Record<string, (args?: Record<string, unknown>) => string>;
  export default messages;
}
