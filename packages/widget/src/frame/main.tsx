import { render } from 'preact';
import { App } from './components/App.js';
import { browserLanguage, translator } from './i18n.js';
import './styles.css';

const root = document.getElementById('app');
const channel = new URLSearchParams(location.search).get('channel');
if (root) {
  if (channel) render(<App channel={channel} />, root);
  else root.textContent = translator(browserLanguage())('errUnavailable');
}
