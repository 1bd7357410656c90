import { LANGUAGE_NAMES, UI_LANGUAGES, isUiLanguage } from '../i18n/index.js';
import { useConsole } from './hooks.js';

export function LanguagePicker() {
  const [snap, store] = useConsole();
  return (
    <label class="lang">
      <span class="visually-hidden">{snap.t('language.label')}</span>
      <select
        data-testid="language"
        value={snap.lang}
        onChange={(e) => {
          const value = e.currentTarget.value;
          if (isUiLanguage(value)) store.setLanguage(value);
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
