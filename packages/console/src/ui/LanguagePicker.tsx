import { LANGUAGE_NAMES, UI_LANGUAGES, isUiLanguage } from '../i18n/index.js';
import { useStore } from './hooks.js';

export function LanguagePicker() {
  const [{ lang, t }, language] = useStore((root) => root.language);
  return (
    <label class="lang">
      <span class="visually-hidden">{t('language.label')}</span>
      <select
        data-testid="language"
        value={lang}
        onChange={(e) => {
          const value = e.currentTarget.value;
          if (isUiLanguage(value)) language.setLanguage(value);
        }}
      >
        {UI_LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
