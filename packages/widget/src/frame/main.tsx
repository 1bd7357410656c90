import { render } from 'preact';
import { App } from './components/App.js';
import { loadTranslator, pageLanguage } from './i18n.js';
import './styles.css';

const root = document.getElementById('app');
const params = new URLSearchParams(location.search);
const channel = params.get('channel');
if (root) {
  void loadTranslator(pageLanguage()).then(async (t) => {
    // The console's live preview: its own chunk, so visitors never download it.
    if (params.get('preview') === '1') {
      const { Preview } = await import('./components/preview/Preview.js');
      render(<Preview initialT={t} />, root);
    } else if (channel) render(<App channel={channel} initialT={t} />, root);
    else root.textContent = t('errUnavailable');
  });
}
