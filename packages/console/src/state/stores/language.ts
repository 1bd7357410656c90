import { pickLanguage, translator, type Translate, type UiLanguage } from '../../i18n/index.js';
import { Store, safeStorage } from './base.js';

const LANG_KEY = 'loket.console.lang';

/** The UI language: the stored choice, else the browser's. */
export class LanguageStore extends Store<{ lang: UiLanguage; t: Translate }> {
  constructor() {
    const stored = safeStorage()?.getItem(LANG_KEY) ?? null;
    const lang = pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language], stored);
    super({ lang, t: translator(lang) });
  }

  setLanguage(lang: UiLanguage): void {
    safeStorage()?.setItem(LANG_KEY, lang);
    document.documentElement.lang = lang;
    this.set({ lang, t: translator(lang) });
  }
}
